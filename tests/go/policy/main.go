// Prints the key-level endorsement policy bytes that fabric-chaincode-go's
// pkg/statebased writes (Policy()), marshalled by the Go protobuf runtime.
//
// Each argument is one policy: comma-separated MSPID=ROLE pairs (ROLE is a
// number, e.g. 0 = MEMBER, 3 = PEER); "" is the empty policy. Output: one
// line per policy, "<argument>\t<hex>".
package main

import (
	"encoding/hex"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"

	"google.golang.org/protobuf/proto"

	"policycheck/gen/common"
	"policycheck/gen/msp"
)

func policy(orgs map[string]msp.MSPRole_MSPRoleType) []byte {
	ids := make([]string, 0, len(orgs))
	for id := range orgs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	principals := make([]*msp.MSPPrincipal, len(ids))
	rules := make([]*common.SignaturePolicy, len(ids))
	for i, id := range ids {
		role, err := proto.Marshal(&msp.MSPRole{MspIdentifier: id, Role: orgs[id]})
		if err != nil {
			panic(err)
		}
		principals[i] = &msp.MSPPrincipal{
			PrincipalClassification: msp.MSPPrincipal_ROLE,
			Principal:               role,
		}
		rules[i] = &common.SignaturePolicy{Type: &common.SignaturePolicy_SignedBy{SignedBy: int32(i)}}
	}
	envelope := &common.SignaturePolicyEnvelope{
		Version: 0,
		Rule: &common.SignaturePolicy{Type: &common.SignaturePolicy_NOutOf_{
			NOutOf: &common.SignaturePolicy_NOutOf{N: int32(len(ids)), Rules: rules},
		}},
		Identities: principals,
	}
	out, err := proto.Marshal(envelope)
	if err != nil {
		panic(err)
	}
	return out
}

func main() {
	for _, arg := range os.Args[1:] {
		orgs := map[string]msp.MSPRole_MSPRoleType{}
		if arg != "" {
			for _, pair := range strings.Split(arg, ",") {
				id, role, _ := strings.Cut(pair, "=")
				n, err := strconv.Atoi(role)
				if err != nil {
					panic(err)
				}
				orgs[id] = msp.MSPRole_MSPRoleType(n)
			}
		}
		fmt.Printf("%s\t%s\n", arg, hex.EncodeToString(policy(orgs)))
	}
}
