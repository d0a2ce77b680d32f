// token-erc20 transfers written only against the generated typed client
// (examples/token-erc20/clients/ts): no transaction names as strings, balances as bigints, and the
// refused transfer as a ContractError carrying the chaincode's status and message.
//
// Environment: GATEWAY_ENDPOINT, TLS_CERT_PATH (optional), CHANNEL_NAME, CHAINCODE_NAME,
// MINTER_MSP_DIR (Org1MSP), RECIPIENT_MSP_ID + RECIPIENT_MSP_DIR.

import assert from 'node:assert/strict';
import { ContractError, SmartContractClient } from '../../examples/token-erc20/clients/ts/client';
import { resolve } from 'node:path';

// The shared connection helpers (plain JS); resolved from the working directory, tests/gateway-node,
// because the compiled file runs from build/.
const { channelName, identityFromMsp, newGateway, newGrpcClient } = require(resolve('connect.js'));

async function main(): Promise<void> {
    const client = newGrpcClient();
    const chaincode = process.env.CHAINCODE_NAME ?? 'token_erc20';
    const minterGateway = newGateway(client, identityFromMsp('Org1MSP', process.env.MINTER_MSP_DIR));
    const recipientGateway = newGateway(
        client,
        identityFromMsp(process.env.RECIPIENT_MSP_ID ?? 'Org2MSP', process.env.RECIPIENT_MSP_DIR),
    );
    try {
        const minter = new SmartContractClient(minterGateway.getNetwork(channelName).getContract(chaincode));
        const recipient = new SmartContractClient(recipientGateway.getNetwork(channelName).getContract(chaincode));

        assert.equal(await minter.submitInitialize('some tokens', 'SOME', '2'), true);
        assert.equal(await minter.evaluateName(), 'some tokens');
        assert.equal(await minter.evaluateSymbol(), 'SOME');

        const mint = await minter.submitAsyncMint(5000n);
        assert.equal((await mint.commit.getStatus()).successful, true);
        assert.equal(await minter.evaluateClientAccountBalance(), 5000n);
        assert.equal(await minter.evaluateTotalSupply(), 5000n);

        const minterId = await minter.evaluateClientAccountID();
        const recipientId = await recipient.evaluateClientAccountID();
        await minter.submitTransfer(recipientId, 100);
        assert.equal(await minter.evaluateClientAccountBalance(), 4900n);
        assert.equal(await recipient.evaluateClientAccountBalance(), 100n);
        assert.equal(await minter.evaluateBalanceOf(recipientId), 100n);

        // More than the recipient holds: refused, and nothing moved.
        await assert.rejects(recipient.submitTransfer(minterId, 101n), (err: unknown) => {
            assert.ok(err instanceof ContractError, `expected a ContractError, got ${String(err)}`);
            assert.equal(err.status, 500);
            assert.equal(err.code, undefined);
            assert.equal(err.detail, `failed to transfer: client account ${recipientId} has insufficient funds`);
            console.log('*** Caught ContractError -', err.detail);
            return true;
        });
        assert.equal(await recipient.evaluateClientAccountBalance(), 100n);
        assert.equal(await minter.evaluateClientAccountBalance(), 4900n);

        // An allowance spent by its spender.
        await minter.submitApprove(recipientId, 300n);
        assert.equal(await minter.evaluateAllowance(minterId, recipientId), 300n);
        await recipient.submitTransferFrom(minterId, recipientId, 250n);
        assert.equal(await minter.evaluateAllowance(minterId, recipientId), 50n);
        assert.equal(await recipient.evaluateClientAccountBalance(), 350n);
        await assert.rejects(recipient.submitTransferFrom(minterId, recipientId, 51n), (err: unknown) => {
            assert.ok(err instanceof ContractError);
            assert.equal(err.detail, 'spender does not have enough allowance for transfer');
            return true;
        });
        console.log('ALL OK');
    } finally {
        minterGateway.close();
        recipientGateway.close();
        client.close();
    }
}

main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
});
