// The public surface of proto/: generated message classes (proto/gen, never edited by hand)
// and the gRPC service definition built on them. int64 fields decode as JS numbers (timestamps
// in ms fit exactly in a double).
import protobuf from 'protobufjs/minimal.js';
import { canopy } from './gen/canopy.js';
import type { ServiceDefinition } from '@grpc/grpc-js';

protobuf.util.Long = undefined as never;
protobuf.configure();

export const pb = canopy.v1;
export type { canopy };
export type IBatch = canopy.v1.IBatch;
export type IAck = canopy.v1.IAck;
export type ISeries = canopy.v1.ISeries;
export type IQueryRequest = canopy.v1.IQueryRequest;
export type IPartialResult = canopy.v1.IPartialResult;
export type IMetadataRequest = canopy.v1.IMetadataRequest;
export type IMetadataResult = canopy.v1.IMetadataResult;
export type IHeartbeat = canopy.v1.IHeartbeat;
export type IZoneHints = canopy.v1.IZoneHints;
export const HintKind = canopy.v1.ZoneHints.Kind;
export const AckStatus = canopy.v1.Ack.Status;
export const MetadataKind = canopy.v1.MetadataRequest.Kind;

/** canopy.v1.Ingest, for @grpc/grpc-js Server.addService and makeGenericClientConstructor. */
export const ingestService: ServiceDefinition = {
  push: {
    path: '/canopy.v1.Ingest/Push',
    requestStream: false,
    responseStream: false,
    requestSerialize: (b: canopy.v1.IBatch) => Buffer.from(canopy.v1.Batch.encode(b).finish()),
    requestDeserialize: (buf: Buffer) => canopy.v1.Batch.decode(buf),
    responseSerialize: (a: canopy.v1.IAck) => Buffer.from(canopy.v1.Ack.encode(a).finish()),
    responseDeserialize: (buf: Buffer) => canopy.v1.Ack.decode(buf),
  },
};
