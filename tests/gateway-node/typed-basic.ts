// The fabric-samples asset-transfer-basic flow written only against the generated typed client
// (examples/asset-transfer-basic/clients/ts): no transaction names as strings, no JSON parsing.
// Environment: as basic.js.

import assert from 'node:assert/strict';
import { ContractError, SmartContractClient } from '../../examples/asset-transfer-basic/clients/ts/client';
import { resolve } from 'node:path';

// The shared connection helpers (plain JS); resolved from the working directory, tests/gateway-node,
// because the compiled file runs from build/.
const { channelName, identityFromMsp, newGateway, newGrpcClient } = require(resolve('connect.js'));

async function main(): Promise<void> {
    const client = newGrpcClient();
    const gateway = newGateway(client, identityFromMsp(process.env.MSP_ID ?? 'Org1MSP', process.env.MSP_DIR));
    try {
        const basic = new SmartContractClient(
            gateway.getNetwork(channelName).getContract(process.env.CHAINCODE_NAME ?? 'basic'),
        );
        const id = `typed${Date.now()}`;

        await basic.submitInitLedger();
        const all = await basic.evaluateGetAllAssets();
        assert.deepEqual(
            all.map((a) => a.ID),
            ['asset1', 'asset2', 'asset3', 'asset4', 'asset5', 'asset6'],
        );

        await basic.submitCreateAsset(id, 'yellow', 5, 'Tom', 1300);
        assert.equal(await basic.evaluateAssetExists(id), true);

        const transfer = await basic.submitAsyncTransferAsset(id, 'Saptha');
        assert.equal(transfer.result, 'Tom');
        const status = await transfer.commit.getStatus();
        assert.equal(status.successful, true);

        const asset = await basic.evaluateReadAsset(id);
        assert.deepEqual(asset, { AppraisedValue: 1300, Color: 'yellow', ID: id, Owner: 'Saptha', Size: 5 });
        assert.equal(await basic.submitTransferAsset(id, 'Max'), 'Saptha');

        await assert.rejects(basic.submitUpdateAsset('asset70', 'blue', 5, 'Tomoko', 300), (err: unknown) => {
            assert.ok(err instanceof ContractError, `expected a ContractError, got ${String(err)}`);
            assert.equal(err.status, 500);
            assert.equal(err.code, undefined);
            assert.equal(err.detail, 'the asset asset70 does not exist');
            console.log('*** Caught ContractError -', err.detail);
            return true;
        });

        await basic.submitDeleteAsset(id);
        assert.equal(await basic.evaluateAssetExists(id), false);
        console.log('ALL OK');
    } finally {
        gateway.close();
        client.close();
    }
}

main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
});
