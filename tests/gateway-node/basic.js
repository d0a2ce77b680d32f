'use strict';
// The fabric-samples asset-transfer-basic application flow (application-gateway-typescript), then an
// MVCC conflict and a refused bad signature. Any unexpected answer throws and the process exits 1.
//
// Environment: GATEWAY_ENDPOINT, TLS_CERT_PATH (optional), CHANNEL_NAME, CHAINCODE_NAME, MSP_ID, MSP_DIR.

const assert = require('node:assert/strict');
const grpc = require('@grpc/grpc-js');
const { EndorseError, GatewayError } = require('@hyperledger/fabric-gateway');
const { channelName, identityFromMsp, newGateway, newGrpcClient } = require('./connect');

const chaincodeName = process.env.CHAINCODE_NAME ?? 'basic';
const utf8 = new TextDecoder();
const assetId = `asset${Date.now()}`;

function log(...args) {
    console.log(...args);
}

async function main() {
    const client = newGrpcClient();
    const signing = identityFromMsp(process.env.MSP_ID ?? 'Org1MSP', process.env.MSP_DIR);
    const gateway = newGateway(client, signing);
    try {
        const contract = gateway.getNetwork(channelName).getContract(chaincodeName);

        log('--> Submit Transaction: InitLedger');
        await contract.submitTransaction('InitLedger');

        log('--> Evaluate Transaction: GetAllAssets');
        const all = JSON.parse(utf8.decode(await contract.evaluateTransaction('GetAllAssets')));
        assert.deepEqual(all.map((a) => a.ID), ['asset1', 'asset2', 'asset3', 'asset4', 'asset5', 'asset6']);
        log('*** Result:', all.length, 'assets');

        log('--> Submit Transaction: CreateAsset', assetId);
        await contract.submitTransaction('CreateAsset', assetId, 'yellow', '5', 'Tom', '1300');

        log('--> Async Submit Transaction: TransferAsset');
        const commit = await contract.submitAsync('TransferAsset', { arguments: [assetId, 'Saptha'] });
        const oldOwner = utf8.decode(commit.getResult());
        assert.equal(oldOwner, 'Tom');
        const status = await commit.getStatus();
        assert.equal(status.successful, true);
        assert.equal(status.code, 0);
        assert.ok(status.blockNumber > 0n, `block number ${status.blockNumber}`);
        log(`*** Transaction ${status.transactionId} committed in block ${status.blockNumber}`);

        log('--> Evaluate Transaction: ReadAsset');
        const asset = JSON.parse(utf8.decode(await contract.evaluateTransaction('ReadAsset', assetId)));
        assert.deepEqual(asset, { AppraisedValue: 1300, Color: 'yellow', ID: assetId, Owner: 'Saptha', Size: 5 });

        log('--> Submit Transaction: UpdateAsset asset70 (expected to fail)');
        await assert.rejects(contract.submitTransaction('UpdateAsset', 'asset70', 'blue', '5', 'Tomoko', '300'), (err) => {
            assert.ok(err instanceof EndorseError, `expected an EndorseError, got ${err}`);
            assert.equal(err.code, grpc.status.ABORTED);
            assert.equal(err.message, '10 ABORTED: failed to endorse transaction, see attached details for more info');
            assert.equal(err.details.length, 1);
            assert.equal(err.details[0].mspId, 'Org1MSP');
            assert.equal(err.details[0].message, 'chaincode response 500, the asset asset70 does not exist');
            log('*** Caught', err.name, '-', err.details[0].message);
            return true;
        });

        log('--> Evaluate Transaction: ReadAsset asset70 (expected to fail)');
        await assert.rejects(contract.evaluateTransaction('ReadAsset', 'asset70'), (err) => {
            assert.ok(err instanceof GatewayError, `expected a GatewayError, got ${err}`);
            assert.equal(err.code, grpc.status.UNKNOWN);
            assert.equal(err.details[0].message, 'chaincode response 500, the asset asset70 does not exist');
            return true;
        });

        log('--> MVCC: two transfers of one asset endorsed before either commits');
        const first = await contract.newProposal('TransferAsset', { arguments: [assetId, 'Alice'] }).endorse();
        const second = await contract.newProposal('TransferAsset', { arguments: [assetId, 'Bob'] }).endorse();
        const firstStatus = await (await first.submit()).getStatus();
        const secondStatus = await (await second.submit()).getStatus();
        assert.equal(firstStatus.code, 0);
        assert.equal(secondStatus.code, 11, `expected MVCC_READ_CONFLICT (11), got ${secondStatus.code}`);
        assert.equal(secondStatus.successful, false);
        assert.ok(secondStatus.blockNumber > firstStatus.blockNumber);
        const owner = JSON.parse(utf8.decode(await contract.evaluateTransaction('ReadAsset', assetId))).Owner;
        assert.equal(owner, 'Alice');
        log('*** Second transaction status MVCC_READ_CONFLICT in block', secondStatus.blockNumber);

        log('--> Bad signature: a proposal signed with garbage');
        const proposal = contract.newProposal('ReadAsset', { arguments: [assetId] });
        const badSigned = gateway.newSignedProposal(proposal.getBytes(), new Uint8Array(70).fill(1));
        await assert.rejects(badSigned.evaluate(), (err) => {
            assert.ok(err instanceof GatewayError, `expected a GatewayError, got ${err}`);
            assert.equal(err.code, grpc.status.FAILED_PRECONDITION);
            assert.equal(
                err.details[0].message,
                `error validating proposal: access denied: channel [${channelName}] creator org [Org1MSP]`,
            );
            log('*** Refused:', err.details[0].message);
            return true;
        });

        log('--> Wrong channel');
        const elsewhere = gateway.getNetwork('nochannel').getContract(chaincodeName);
        await assert.rejects(elsewhere.evaluateTransaction('ReadAsset', assetId), (err) => {
            assert.equal(err.code, grpc.status.UNAVAILABLE);
            return true;
        });
        log('ALL OK');
    } finally {
        gateway.close();
        client.close();
    }
}

main().catch((err) => {
    console.error('FAILED:', err);
    process.exitCode = 1;
});
