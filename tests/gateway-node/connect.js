'use strict';
// Connection set-up exactly as a fabric-samples Gateway application does it: a gRPC client to the peer
// endpoint (TLS when a CA certificate is given), an X.509 identity and a private-key signer.

const grpc = require('@grpc/grpc-js');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { connect, hash, signers } = require('@hyperledger/fabric-gateway');

const endpoint = process.env.GATEWAY_ENDPOINT ?? 'localhost:7051';
const tlsCertPath = process.env.TLS_CERT_PATH;
const channelName = process.env.CHANNEL_NAME ?? 'mychannel';

function firstFile(dir) {
    const files = fs.readdirSync(dir).sort();
    if (files.length === 0) {
        throw new Error(`no file in ${dir}`);
    }
    return path.join(dir, files[0]);
}

function newGrpcClient() {
    if (tlsCertPath) {
        const credentials = grpc.credentials.createSsl(fs.readFileSync(tlsCertPath));
        return new grpc.Client(endpoint, credentials, { 'grpc.ssl_target_name_override': 'localhost' });
    }
    return new grpc.Client(endpoint, grpc.credentials.createInsecure());
}

// An identity from an MSP folder (signcerts/, keystore/), as the samples read cryptogen's output.
function identityFromMsp(mspId, mspDir) {
    const credentials = fs.readFileSync(firstFile(path.join(mspDir, 'signcerts')));
    const privateKey = crypto.createPrivateKey(fs.readFileSync(firstFile(path.join(mspDir, 'keystore'))));
    return { identity: { mspId, credentials }, signer: signers.newPrivateKeySigner(privateKey) };
}

function newGateway(client, { identity, signer }) {
    return connect({
        client,
        identity,
        signer,
        hash: hash.sha256,
        evaluateOptions: () => ({ deadline: Date.now() + 5000 }),
        endorseOptions: () => ({ deadline: Date.now() + 15000 }),
        submitOptions: () => ({ deadline: Date.now() + 5000 }),
        commitStatusOptions: () => ({ deadline: Date.now() + 60000 }),
    });
}

module.exports = { channelName, identityFromMsp, newGateway, newGrpcClient };
