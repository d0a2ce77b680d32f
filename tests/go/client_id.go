// Prints Go's client-identity text for each certificate file given.
package main

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"os"
)

var names = map[string]string{
	"2.5.4.6": "C", "2.5.4.10": "O", "2.5.4.11": "OU", "2.5.4.3": "CN", "2.5.4.5": "SERIALNUMBER",
	"2.5.4.7": "L", "2.5.4.8": "ST", "2.5.4.9": "STREET", "2.5.4.17": "POSTALCODE",
}

func dn(name *pkix.Name) string {
	r := name.ToRDNSequence()
	s := ""
	for i := 0; i < len(r); i++ {
		rdn := r[len(r)-1-i]
		if i > 0 {
			s += ","
		}
		for j, tv := range rdn {
			if j > 0 {
				s += "+"
			}
			t := tv.Type.String()
			n, ok := names[t]
			if !ok {
				der, err := asn1.Marshal(tv.Value)
				if err == nil {
					s += t + "=#" + hex.EncodeToString(der)
					continue
				}
				n = t
			}
			v := fmt.Sprint(tv.Value)
			esc := make([]rune, 0, len(v))
			for k, c := range v {
				e := false
				switch c {
				case ',', '+', '"', '\\', '<', '>', ';':
					e = true
				case ' ':
					e = k == 0 || k == len(v)-1
				case '#':
					e = k == 0
				}
				if e {
					esc = append(esc, '\\', c)
				} else {
					esc = append(esc, c)
				}
			}
			s += n + "=" + string(esc)
		}
	}
	return s
}

func main() {
	for _, f := range os.Args[1:] {
		b, _ := os.ReadFile(f)
		p, _ := pem.Decode(b)
		c, err := x509.ParseCertificate(p.Bytes)
		if err != nil {
			panic(err)
		}
		id := "x509::" + dn(&c.Subject) + "::" + dn(&c.Issuer)
		fmt.Printf("%s\t%s\t%s\n", f, id, base64.StdEncoding.EncodeToString([]byte(id)))
	}
}
