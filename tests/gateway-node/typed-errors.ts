// The generated client's error classes and proposal options, on a contract that publishes error
// codes (fixtures/coded-client.ts, generated from clientgen/tests/fixtures/coded.metadata.json). A
// stand-in Contract records what the client sends and fails as the Gateway does: an error whose
// details carry `chaincode response <status>, <message>`.

import assert from 'node:assert/strict';
import type { Contract, ProposalOptions } from '@hyperledger/fabric-gateway';
import {
    ContractError,
    GoneError,
    LedgerClient,
    LowBalanceError,
    SameOwnerError,
    toContractError,
} from './fixtures/coded-client';

function gatewayError(detail: string): Error {
    return Object.assign(new Error('10 ABORTED: failed to endorse transaction, see attached details for more info'), {
        details: [{ address: 'peer0.org1.example.com:7051', mspId: 'Org1MSP', message: detail }],
    });
}

async function main(): Promise<void> {
    const sent: { name: string; options: ProposalOptions }[] = [];
    let answer: Error | undefined;
    const contract = {
        submit: async (name: string, options: ProposalOptions): Promise<Uint8Array> => {
            sent.push({ name, options });
            if (answer) {
                throw answer;
            }
            return new Uint8Array();
        },
    } as unknown as Contract;
    const ledger = new LedgerClient(contract);

    // Arguments as text (a bigint exactly), the transient parameter as transient data.
    await ledger.submitMove('asset1', 12345678901234567890n, 'memo');
    assert.equal(sent[0].name, 'Move');
    assert.deepEqual(sent[0].options.arguments, ['asset1', '12345678901234567890']);
    assert.deepEqual(sent[0].options.transientData, { note: 'memo' });

    // Each published code arrives as its class, with the values its template carries.
    answer = gatewayError('chaincode response 409, SAME_OWNER: Tom already owns asset1');
    await assert.rejects(ledger.submitMove('asset1', 1, 'memo'), (err: unknown) => {
        assert.ok(err instanceof SameOwnerError, String(err));
        assert.ok(err instanceof ContractError);
        assert.deepEqual([err.status, err.code, err.detail], [409, 'SAME_OWNER', 'Tom already owns asset1']);
        assert.deepEqual(err.data, ['Tom', 'asset1']);
        assert.equal(err.message, 'SAME_OWNER: Tom already owns asset1');
        assert.equal(err.cause, answer);
        return true;
    });
    const low = toContractError(gatewayError('chaincode response 400, LOW_BALANCE: balance 5 is below 7 {units}'));
    assert.ok(low instanceof LowBalanceError, String(low));
    assert.deepEqual(low.data, { have: '5', want: '7' });
    const gone = toContractError(gatewayError('chaincode response 404, GONE: gone'));
    assert.ok(gone instanceof GoneError && gone.status === 404);

    // Anything else keeps the raw answer: a code whose message lacks its template, an unknown code,
    // no code, and an error no chaincode answered.
    for (const [detail, status, code, text] of [
        ['chaincode response 400, LOW_BALANCE: out of money', 400, 'LOW_BALANCE', 'out of money'],
        ['chaincode response 500, NOT_LISTED: x', 500, 'NOT_LISTED', 'x'],
        ['chaincode response 500, the asset a1 does not exist', 500, undefined, 'the asset a1 does not exist'],
        ['chaincode response 500, Error: no code here', 500, undefined, 'Error: no code here'],
        [
            'access denied: channel [mychannel] creator org unknown',
            undefined,
            undefined,
            'access denied: channel [mychannel] creator org unknown',
        ],
    ] as const) {
        const err = toContractError(gatewayError(detail));
        assert.equal(err.constructor, ContractError, detail);
        assert.deepEqual([err.status, err.code, err.detail], [status, code, text]);
    }
    const plain = toContractError(new Error('14 UNAVAILABLE: No connection established'));
    assert.deepEqual(
        [plain.status, plain.code, plain.detail],
        [undefined, undefined, '14 UNAVAILABLE: No connection established'],
    );
    console.log('ALL OK');
}

main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
});
