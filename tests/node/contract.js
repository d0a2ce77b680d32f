/*
 * Cross-check contracts on fabric-contract-api 2.5.8, the counterpart of a Rust #[contract].
 *
 * Plain JavaScript has no decorator syntax and no TypeScript type metadata, so `decorate` applies the
 * decorators by hand, in the order TypeScript would (bottom-up), after recording the parameter types
 * exactly as TypeScript's emitDecoratorMetadata would ('design:paramtypes'). The result is what a
 * TypeScript contract with @Transaction/@Param/@Returns/@Object/@Property produces.
 *
 * Started by the Rust tests with
 *   node_modules/.bin/fabric-chaincode-node start --module-path . --peer.address HOST:PORT --chaincode-id-name NAME
 *
 * SPDX-License-Identifier: Apache-2.0
 */
'use strict';

require('reflect-metadata');
const {Context, Contract, Default, Info, Object: DataType, Property, Returns, Transaction} =
    require('fabric-contract-api');

/** Applies method decorators (listed top to bottom as in TypeScript) after setting the parameter types. */
function decorate(cls, method, paramTypes, ...decorators) {
    Reflect.defineMetadata('design:paramtypes', [Context, ...paramTypes], cls.prototype, method);
    for (const d of decorators.reverse()) {
        d(cls.prototype, method);
    }
}

class Asset {}
// Declared in key order so JSON.stringify output is sorted, like the Rust side's JSON.
Property('AppraisedValue', 'number')(Asset.prototype, 'AppraisedValue');
Property('Color', 'string')(Asset.prototype, 'Color');
Property('ID', 'string')(Asset.prototype, 'ID');
Property('Owner', 'string')(Asset.prototype, 'Owner');
Property('Size', 'number')(Asset.prototype, 'Size');
DataType()(Asset);

/** Builds an asset with sorted keys. */
function asset(id, color, size, owner, appraisedValue) {
    return {AppraisedValue: appraisedValue, Color: color, ID: id, Owner: owner, Size: size};
}

const encode = (value) => Buffer.from(JSON.stringify(value));

class AssetContract extends Contract {
    constructor() {
        super('assets');
    }

    async CreateAsset(ctx, id, color, size, owner, appraisedValue) {
        if (await this.AssetExists(ctx, id)) {
            throw new Error(`the asset ${id} already exists`);
        }
        const value = asset(id, color, size, owner, appraisedValue);
        await ctx.stub.putState(id, encode(value));
        ctx.stub.setEvent('CreateAsset', encode(value));
    }

    async ReadAsset(ctx, id) {
        const bytes = await ctx.stub.getState(id);
        if (!bytes || bytes.length === 0) {
            throw new Error(`the asset ${id} does not exist`);
        }
        return JSON.parse(bytes.toString('utf8'));
    }

    async AssetExists(ctx, id) {
        const bytes = await ctx.stub.getState(id);
        return !!bytes && bytes.length > 0;
    }

    async TransferAsset(ctx, id, newOwner) {
        const current = await this.ReadAsset(ctx, id);
        const oldOwner = current.Owner;
        current.Owner = newOwner;
        await ctx.stub.putState(id, encode(current));
        return oldOwner;
    }

    async UpdateAsset(ctx, updated) {
        await this.ReadAsset(ctx, updated.ID);
        const value = asset(updated.ID, updated.Color, updated.Size, updated.Owner, updated.AppraisedValue);
        await ctx.stub.putState(updated.ID, encode(value));
        return value;
    }

    async DeleteAsset(ctx, id) {
        await this.ReadAsset(ctx, id);
        await ctx.stub.deleteState(id);
    }

    async GetAllAssets(ctx) {
        const all = [];
        for await (const {value} of ctx.stub.getStateByRange('', '')) {
            all.push(JSON.parse(value.toString('utf8')));
        }
        return all;
    }

    async Double(ctx, n) {
        return n * 2;
    }

    async Negate(ctx, flag) {
        return !flag;
    }
}

decorate(AssetContract, 'CreateAsset', [String, String, Number, String, Number], Transaction());
decorate(AssetContract, 'ReadAsset', [String], Transaction(false), Returns('Asset'));
decorate(AssetContract, 'AssetExists', [String], Transaction(false), Returns('boolean'));
decorate(AssetContract, 'TransferAsset', [String, String], Transaction(), Returns('string'));
decorate(AssetContract, 'UpdateAsset', [Asset], Transaction(), Returns('Asset'));
decorate(AssetContract, 'DeleteAsset', [String], Transaction());
decorate(AssetContract, 'GetAllAssets', [], Transaction(false), Returns('Asset[]'));
decorate(AssetContract, 'Double', [Number], Transaction(false), Returns('number'));
decorate(AssetContract, 'Negate', [Boolean], Transaction(false), Returns('boolean'));
Info({title: 'AssetContract', version: '1.0.0'})(AssetContract);
Default()(AssetContract);

/** No decorators: every own method is a transaction with string parameters named arg0, arg1, … */
class PlainContract extends Contract {
    constructor() {
        super('plain');
    }

    async Echo(ctx, a, b) {
        return `${a}|${b}`;
    }

    async Fail(ctx, message) {
        throw new Error(message);
    }

    async Emit(ctx, name, payload) {
        ctx.stub.setEvent(name, Buffer.from(payload));
        return 'emitted';
    }

    async WhoAmI(ctx) {
        return {mspid: ctx.clientIdentity.getMSPID(), id: ctx.clientIdentity.getID()};
    }

    async _helper() {
        return 'not a transaction';
    }

    async unknownTransaction(ctx) {
        const {fcn} = ctx.stub.getFunctionAndParameters();
        throw new Error(`plain has no transaction ${fcn}`);
    }
}

module.exports.contracts = [AssetContract, PlainContract];
