'use strict';
// token-erc20 chaincode events through the Gateway: Transfer events of Mint and Transfer arrive on a
// live stream, and a second stream started at block 0 replays them all.
//
// Environment: GATEWAY_ENDPOINT, TLS_CERT_PATH (optional), CHANNEL_NAME, CHAINCODE_NAME,
// MINTER_MSP_DIR (Org1MSP), RECIPIENT_MSP_ID + RECIPIENT_MSP_DIR.

const assert = require('node:assert/strict');
const { channelName, identityFromMsp, newGateway, newGrpcClient } = require('./connect');

const chaincodeName = process.env.CHAINCODE_NAME ?? 'token_erc20';
const utf8 = new TextDecoder();

async function take(events, count) {
    const found = [];
    for await (const event of events) {
        found.push(event);
        if (found.length === count) {
            break;
        }
    }
    return found;
}

function describe(event) {
    const payload = JSON.parse(utf8.decode(event.payload));
    return { name: event.eventName, value: payload.value, block: event.blockNumber, tx: event.transactionId };
}

async function main() {
    const client = newGrpcClient();
    const minterGateway = newGateway(client, identityFromMsp('Org1MSP', process.env.MINTER_MSP_DIR));
    const recipientGateway = newGateway(
        client,
        identityFromMsp(process.env.RECIPIENT_MSP_ID ?? 'Org2MSP', process.env.RECIPIENT_MSP_DIR),
    );
    try {
        const network = minterGateway.getNetwork(channelName);
        const token = network.getContract(chaincodeName);
        const recipientToken = recipientGateway.getNetwork(channelName).getContract(chaincodeName);

        const init = await token.submitAsync('Initialize', { arguments: ['some tokens', 'SOME', '2'] });
        const initStatus = await init.getStatus();
        assert.equal(initStatus.successful, true);
        const recipient = utf8.decode(await recipientToken.evaluateTransaction('ClientAccountID'));
        // Listen from the block after Initialize's (a fixed start, so the stream cannot miss a commit
        // that lands before the server has seen the request).
        const live = await network.getChaincodeEvents(chaincodeName, { startBlock: initStatus.blockNumber + 1n });
        const mint = await token.submitAsync('Mint', { arguments: ['5000'] });
        const mintStatus = await mint.getStatus();
        assert.equal(mintStatus.successful, true);
        const transfer = await token.submitAsync('Transfer', { arguments: [recipient, '100'] });
        const transferStatus = await transfer.getStatus();
        assert.equal(transferStatus.successful, true);

        const seen = (await take(live, 2)).map(describe);
        live.close();
        assert.deepEqual(seen, [
            { name: 'Transfer', value: 5000, block: mintStatus.blockNumber, tx: mint.getTransactionId() },
            { name: 'Transfer', value: 100, block: transferStatus.blockNumber, tx: transfer.getTransactionId() },
        ]);
        console.log('*** live events:', JSON.stringify(seen, (_, v) => (typeof v === 'bigint' ? Number(v) : v)));

        const replay = await network.getChaincodeEvents(chaincodeName, { startBlock: 0n });
        const replayed = (await take(replay, 2)).map(describe);
        replay.close();
        assert.deepEqual(replayed, seen);
        console.log('*** replayed from block 0');

        const balance = utf8.decode(await recipientToken.evaluateTransaction('ClientAccountBalance'));
        assert.equal(balance, '100');
        console.log('ALL OK');
    } finally {
        minterGateway.close();
        recipientGateway.close();
        client.close();
    }
}

main().catch((err) => {
    console.error('FAILED:', err);
    process.exitCode = 1;
});
