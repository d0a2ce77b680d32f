/*
 * Cross-check chaincode on the raw fabric-shim API (ChaincodeInterface: Init/Invoke).
 *
 * Started by the Rust tests with
 *   node raw.js --peer.address 127.0.0.1:PORT --chaincode-id-name NAME
 * Every function answers with shim.success/shim.error; exceptions are turned into shim.error here because
 * the shim itself does not catch them (Node 20 would end the process on the unhandled rejection).
 *
 * SPDX-License-Identifier: Apache-2.0
 */
'use strict';

const shim = require('fabric-shim');

const utf8 = (text) => Buffer.from(String(text), 'utf8');
const json = (value) => utf8(JSON.stringify(value));

/** Drains an iterator into [{key, value}] (values as UTF-8 text) and closes it. */
async function drain(iterator) {
    const records = [];
    try {
        for (;;) {
            const res = await iterator.next();
            if (!res || res.done) {
                break;
            }
            records.push({key: res.value.key, value: res.value.value.toString('utf8')});
        }
    } finally {
        await iterator.close();
    }
    return records;
}

function expectArgs(fn, params, count) {
    if (params.length !== count) {
        throw new Error(`${fn} expects ${count} argument(s), got ${params.length}`);
    }
}

const functions = {
    // put(key, value): PUT_STATE; an empty value is a delete on a real peer.
    async put(stub, params) {
        expectArgs('put', params, 2);
        await stub.putState(params[0], utf8(params[1]));
        return shim.success();
    },
    // get(key): GET_STATE; the value as is (empty payload when the key is missing).
    async get(stub, params) {
        expectArgs('get', params, 1);
        return shim.success(await stub.getState(params[0]));
    },
    // del(key): DEL_STATE.
    async del(stub, params) {
        expectArgs('del', params, 1);
        await stub.deleteState(params[0]);
        return shim.success();
    },
    // putMany(prefix, count): keys prefix000.. with values v0.., to exercise 100-record query batches.
    async putMany(stub, params) {
        expectArgs('putMany', params, 2);
        const count = Number.parseInt(params[1], 10);
        for (let i = 0; i < count; i++) {
            await stub.putState(params[0] + String(i).padStart(3, '0'), utf8('v' + i));
        }
        return shim.success(utf8(count));
    },
    // putThenGet(key, value): a read after a write in the same transaction sees the committed value.
    async putThenGet(stub, params) {
        expectArgs('putThenGet', params, 2);
        await stub.putState(params[0], utf8(params[1]));
        return shim.success(await stub.getState(params[0]));
    },
    // range(start, end): unpaged GET_STATE_BY_RANGE, then QUERY_STATE_NEXT while has_more, then CLOSE.
    async range(stub, params) {
        expectArgs('range', params, 2);
        return shim.success(json(await drain(await stub.getStateByRange(params[0], params[1]))));
    },
    // rangePage(start, end, pageSize, bookmark): one paged GET_STATE_BY_RANGE.
    async rangePage(stub, params) {
        expectArgs('rangePage', params, 4);
        const {iterator, metadata} = await stub.getStateByRangeWithPagination(
            params[0], params[1], Number.parseInt(params[2], 10), params[3]);
        const records = await drain(iterator);
        return shim.success(json({records, metadata}));
    },
    // event(name, payload): the event rides on COMPLETED.
    async event(stub, params) {
        expectArgs('event', params, 2);
        stub.setEvent(params[0], utf8(params[1]));
        return shim.success(utf8('event set'));
    },
    // fail(message): a business error, status 500 with the message.
    async fail(stub, params) {
        expectArgs('fail', params, 1);
        return shim.error(params[0]);
    },
    // failAfterWrite(key, value, message): the write and the event must be discarded by the peer.
    async failAfterWrite(stub, params) {
        expectArgs('failAfterWrite', params, 3);
        await stub.putState(params[0], utf8(params[1]));
        stub.setEvent('lost', utf8(params[1]));
        return shim.error(params[2]);
    },
    // throws(message): an exception inside the chaincode code.
    async throws(stub, params) {
        expectArgs('throws', params, 1);
        throw new Error(params[0]);
    },
    // txinfo(): what the shim parsed from the message and the signed proposal.
    async txinfo(stub) {
        const creator = stub.getCreator();
        const ts = stub.getTxTimestamp();
        const transient = {};
        for (const [k, v] of [...stub.getTransient().entries()].sort()) {
            transient[k] = v.toString('utf8');
        }
        const {fcn, params} = stub.getFunctionAndParameters();
        return shim.success(json({
            txId: stub.getTxID(),
            channelId: stub.getChannelID(),
            fcn,
            params,
            mspid: creator.mspid,
            idBytes: Buffer.from(creator.idBytes).toString('utf8'),
            transient,
            timestamp: {seconds: ts.seconds.toString(), nanos: ts.nanos},
            binding: stub.getBinding(),
        }));
    },
};

class RawChaincode {
    async Init(stub) {
        return run(stub, async () => {
            const {fcn, params} = stub.getFunctionAndParameters();
            await stub.putState('initialized', json({fcn, params}));
            return shim.success(utf8('init ok'));
        });
    }

    async Invoke(stub) {
        return run(stub, async () => {
            const {fcn, params} = stub.getFunctionAndParameters();
            const handler = Object.prototype.hasOwnProperty.call(functions, fcn) ? functions[fcn] : undefined;
            if (!handler) {
                return shim.error(`unknown function "${fcn}"; expected one of ${Object.keys(functions).join(', ')}`);
            }
            return handler(stub, params);
        });
    }
}

async function run(stub, body) {
    try {
        return await body();
    } catch (err) {
        return shim.error(`${stub.getFunctionAndParameters().fcn} failed: ${err.message}`);
    }
}

if (require.main === module) {
    shim.start(new RawChaincode());
}

module.exports = {RawChaincode};
