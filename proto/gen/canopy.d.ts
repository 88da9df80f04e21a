import * as $protobuf from "protobufjs";
import Long = require("long");

/** Namespace canopy. */
export namespace canopy {

    /** Namespace v1. */
    namespace v1 {

        /**
         * Properties of a Batch.
         * @deprecated Use canopy.v1.Batch.$Properties instead.
         */
        interface IBatch extends canopy.v1.Batch.$Properties {
        }

        /** Represents a Batch. */
        class Batch {

            /**
             * Constructs a new Batch.
             * @param [p] Properties to set
             */
            constructor(p?: canopy.v1.Batch.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Batch batchId. */
            batchId: string;

            /** Batch source. */
            source: string;

            /** Batch series. */
            series: canopy.v1.Series.$Properties[];

            /** Batch createdMs. */
            createdMs: number;

            /** Batch metadata. */
            metadata: canopy.v1.MetricMetadata.$Properties[];

            /**
             * Creates a new Batch instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Batch instance
             */
            static create(properties: canopy.v1.Batch.$Shape): canopy.v1.Batch & canopy.v1.Batch.$Shape;
            static create(properties?: canopy.v1.Batch.$Properties): canopy.v1.Batch;

            /**
             * Encodes the specified Batch message. Does not implicitly {@link canopy.v1.Batch.verify|verify} messages.
             * @param m Batch message or plain object to encode
             * @param [w] Writer to encode to
             * @returns Writer
             */
            static encode(m: canopy.v1.Batch.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Batch message from the specified reader or buffer.
             * @param r Reader or buffer to decode from
             * @param [l] Message length if known beforehand
             * @returns {canopy.v1.Batch & canopy.v1.Batch.$Shape} Batch
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): canopy.v1.Batch & canopy.v1.Batch.$Shape;
        }

        namespace Batch {

            /** Properties of a Batch. */
            interface $Properties {

                /** Batch batchId */
                batchId?: (string|null);

                /** Batch source */
                source?: (string|null);

                /** Batch series */
                series?: (canopy.v1.Series.$Properties[]|null);

                /** Batch createdMs */
                createdMs?: (number|null);

                /** Batch metadata */
                metadata?: (canopy.v1.MetricMetadata.$Properties[]|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a Batch. */
            type $Shape = canopy.v1.Batch.$Properties;
        }

        /**
         * Properties of a Rejection.
         * @deprecated Use canopy.v1.Rejection.$Properties instead.
         */
        interface IRejection extends canopy.v1.Rejection.$Properties {
        }

        /** Represents a Rejection. */
        class Rejection {

            /**
             * Constructs a new Rejection.
             * @param [p] Properties to set
             */
            constructor(p?: canopy.v1.Rejection.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Rejection reason. */
            reason: string;

            /** Rejection count. */
            count: number;

            /**
             * Creates a new Rejection instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Rejection instance
             */
            static create(properties: canopy.v1.Rejection.$Shape): canopy.v1.Rejection & canopy.v1.Rejection.$Shape;
            static create(properties?: canopy.v1.Rejection.$Properties): canopy.v1.Rejection;

            /**
             * Encodes the specified Rejection message. Does not implicitly {@link canopy.v1.Rejection.verify|verify} messages.
             * @param m Rejection message or plain object to encode
             * @param [w] Writer to encode to
             * @returns Writer
             */
            static encode(m: canopy.v1.Rejection.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Rejection message from the specified reader or buffer.
             * @param r Reader or buffer to decode from
             * @param [l] Message length if known beforehand
             * @returns {canopy.v1.Rejection & canopy.v1.Rejection.$Shape} Rejection
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): canopy.v1.Rejection & canopy.v1.Rejection.$Shape;
        }

        namespace Rejection {

            /** Properties of a Rejection. */
            interface $Properties {

                /** Rejection reason */
                reason?: (string|null);

                /** Rejection count */
                count?: (number|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a Rejection. */
            type $Shape = canopy.v1.Rejection.$Properties;
        }

        /**
         * Properties of an Ack.
         * @deprecated Use canopy.v1.Ack.$Properties instead.
         */
        interface IAck extends canopy.v1.Ack.$Properties {
        }

        /** Represents an Ack. */
        class Ack {

            /**
             * Constructs a new Ack.
             * @param [p] Properties to set
             */
            constructor(p?: canopy.v1.Ack.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Ack batchId. */
            batchId: string;

            /** Ack status. */
            status: canopy.v1.Ack.Status;

            /** Ack accepted. */
            accepted: number;

            /** Ack rejected. */
            rejected: number;

            /** Ack rejections. */
            rejections: canopy.v1.Rejection.$Properties[];

            /** Ack message. */
            message: string;

            /** Ack duplicate. */
            duplicate: boolean;

            /**
             * Creates a new Ack instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Ack instance
             */
            static create(properties: canopy.v1.Ack.$Shape): canopy.v1.Ack & canopy.v1.Ack.$Shape;
            static create(properties?: canopy.v1.Ack.$Properties): canopy.v1.Ack;

            /**
             * Encodes the specified Ack message. Does not implicitly {@link canopy.v1.Ack.verify|verify} messages.
             * @param m Ack message or plain object to encode
             * @param [w] Writer to encode to
             * @returns Writer
             */
            static encode(m: canopy.v1.Ack.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an Ack message from the specified reader or buffer.
             * @param r Reader or buffer to decode from
             * @param [l] Message length if known beforehand
             * @returns {canopy.v1.Ack & canopy.v1.Ack.$Shape} Ack
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): canopy.v1.Ack & canopy.v1.Ack.$Shape;
        }

        namespace Ack {

            /** Properties of an Ack. */
            interface $Properties {

                /** Ack batchId */
                batchId?: (string|null);

                /** Ack status */
                status?: (canopy.v1.Ack.Status|null);

                /** Ack accepted */
                accepted?: (number|null);

                /** Ack rejected */
                rejected?: (number|null);

                /** Ack rejections */
                rejections?: (canopy.v1.Rejection.$Properties[]|null);

                /** Ack message */
                message?: (string|null);

                /** Ack duplicate */
                duplicate?: (boolean|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of an Ack. */
            type $Shape = canopy.v1.Ack.$Properties;

            /** Status enum. */
            enum Status {

                /** OK value */
                OK = 0,

                /** PARTIAL value */
                PARTIAL = 1,

                /** REJECTED value */
                REJECTED = 2,

                /** RETRY value */
                RETRY = 3
            }
        }

        /**
         * Properties of a Label.
         * @deprecated Use canopy.v1.Label.$Properties instead.
         */
        interface ILabel extends canopy.v1.Label.$Properties {
        }

        /** Represents a Label. */
        class Label {

            /**
             * Constructs a new Label.
             * @param [p] Properties to set
             */
            constructor(p?: canopy.v1.Label.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Label name. */
            name: string;

            /** Label value. */
            value: string;

            /**
             * Creates a new Label instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Label instance
             */
            static create(properties: canopy.v1.Label.$Shape): canopy.v1.Label & canopy.v1.Label.$Shape;
            static create(properties?: canopy.v1.Label.$Properties): canopy.v1.Label;

            /**
             * Encodes the specified Label message. Does not implicitly {@link canopy.v1.Label.verify|verify} messages.
             * @param m Label message or plain object to encode
             * @param [w] Writer to encode to
             * @returns Writer
             */
            static encode(m: canopy.v1.Label.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Label message from the specified reader or buffer.
             * @param r Reader or buffer to decode from
             * @param [l] Message length if known beforehand
             * @returns {canopy.v1.Label & canopy.v1.Label.$Shape} Label
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): canopy.v1.Label & canopy.v1.Label.$Shape;
        }

        namespace Label {

            /** Properties of a Label. */
            interface $Properties {

                /** Label name */
                name?: (string|null);

                /** Label value */
                value?: (string|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a Label. */
            type $Shape = canopy.v1.Label.$Properties;
        }

        /**
         * Properties of a Distribution.
         * @deprecated Use canopy.v1.Distribution.$Properties instead.
         */
        interface IDistribution extends canopy.v1.Distribution.$Properties {
        }

        /** Represents a Distribution. */
        class Distribution {

            /**
             * Constructs a new Distribution.
             * @param [p] Properties to set
             */
            constructor(p?: canopy.v1.Distribution.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Distribution count. */
            count: number;

            /** Distribution sum. */
            sum: number;

            /** Distribution min. */
            min: number;

            /** Distribution max. */
            max: number;

            /** Distribution means. */
            means: number[];

            /** Distribution weights. */
            weights: number[];

            /**
             * Creates a new Distribution instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Distribution instance
             */
            static create(properties: canopy.v1.Distribution.$Shape): canopy.v1.Distribution & canopy.v1.Distribution.$Shape;
            static create(properties?: canopy.v1.Distribution.$Properties): canopy.v1.Distribution;

            /**
             * Encodes the specified Distribution message. Does not implicitly {@link canopy.v1.Distribution.verify|verify} messages.
             * @param m Distribution message or plain object to encode
             * @param [w] Writer to encode to
             * @returns Writer
             */
            static encode(m: canopy.v1.Distribution.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Distribution message from the specified reader or buffer.
             * @param r Reader or buffer to decode from
             * @param [l] Message length if known beforehand
             * @returns {canopy.v1.Distribution & canopy.v1.Distribution.$Shape} Distribution
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): canopy.v1.Distribution & canopy.v1.Distribution.$Shape;
        }

        namespace Distribution {

            /** Properties of a Distribution. */
            interface $Properties {

                /** Distribution count */
                count?: (number|null);

                /** Distribution sum */
                sum?: (number|null);

                /** Distribution min */
                min?: (number|null);

                /** Distribution max */
                max?: (number|null);

                /** Distribution means */
                means?: (number[]|null);

                /** Distribution weights */
                weights?: (number[]|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a Distribution. */
            type $Shape = canopy.v1.Distribution.$Properties;
        }

        /**
         * Properties of a DistributionSample.
         * @deprecated Use canopy.v1.DistributionSample.$Properties instead.
         */
        interface IDistributionSample extends canopy.v1.DistributionSample.$Properties {
        }

        /** Represents a DistributionSample. */
        class DistributionSample {

            /**
             * Constructs a new DistributionSample.
             * @param [p] Properties to set
             */
            constructor(p?: canopy.v1.DistributionSample.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** DistributionSample timestampMs. */
            timestampMs: number;

            /** DistributionSample value. */
            value?: (canopy.v1.Distribution.$Properties|null);

            /**
             * Creates a new DistributionSample instance using the specified properties.
             * @param [properties] Properties to set
             * @returns DistributionSample instance
             */
            static create(properties: canopy.v1.DistributionSample.$Shape): canopy.v1.DistributionSample & canopy.v1.DistributionSample.$Shape;
            static create(properties?: canopy.v1.DistributionSample.$Properties): canopy.v1.DistributionSample;

            /**
             * Encodes the specified DistributionSample message. Does not implicitly {@link canopy.v1.DistributionSample.verify|verify} messages.
             * @param m DistributionSample message or plain object to encode
             * @param [w] Writer to encode to
             * @returns Writer
             */
            static encode(m: canopy.v1.DistributionSample.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a DistributionSample message from the specified reader or buffer.
             * @param r Reader or buffer to decode from
             * @param [l] Message length if known beforehand
             * @returns {canopy.v1.DistributionSample & canopy.v1.DistributionSample.$Shape} DistributionSample
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): canopy.v1.DistributionSample & canopy.v1.DistributionSample.$Shape;
        }

        namespace DistributionSample {

            /** Properties of a DistributionSample. */
            interface $Properties {

                /** DistributionSample timestampMs */
                timestampMs?: (number|null);

                /** DistributionSample value */
                value?: (canopy.v1.Distribution.$Properties|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a DistributionSample. */
            type $Shape = canopy.v1.DistributionSample.$Properties;
        }

        /**
         * Properties of a Series.
         * @deprecated Use canopy.v1.Series.$Properties instead.
         */
        interface ISeries extends canopy.v1.Series.$Properties {
        }

        /** Represents a Series. */
        class Series {

            /**
             * Constructs a new Series.
             * @param [p] Properties to set
             */
            constructor(p?: canopy.v1.Series.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Series labels. */
            labels: canopy.v1.Label.$Properties[];

            /** Series timestampsMs. */
            timestampsMs: number[];

            /** Series values. */
            values: number[];

            /** Series distributions. */
            distributions: canopy.v1.DistributionSample.$Properties[];

            /**
             * Creates a new Series instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Series instance
             */
            static create(properties: canopy.v1.Series.$Shape): canopy.v1.Series & canopy.v1.Series.$Shape;
            static create(properties?: canopy.v1.Series.$Properties): canopy.v1.Series;

            /**
             * Encodes the specified Series message. Does not implicitly {@link canopy.v1.Series.verify|verify} messages.
             * @param m Series message or plain object to encode
             * @param [w] Writer to encode to
             * @returns Writer
             */
            static encode(m: canopy.v1.Series.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Series message from the specified reader or buffer.
             * @param r Reader or buffer to decode from
             * @param [l] Message length if known beforehand
             * @returns {canopy.v1.Series & canopy.v1.Series.$Shape} Series
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): canopy.v1.Series & canopy.v1.Series.$Shape;
        }

        namespace Series {

            /** Properties of a Series. */
            interface $Properties {

                /** Series labels */
                labels?: (canopy.v1.Label.$Properties[]|null);

                /** Series timestampsMs */
                timestampsMs?: (number[]|null);

                /** Series values */
                values?: (number[]|null);

                /** Series distributions */
                distributions?: (canopy.v1.DistributionSample.$Properties[]|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a Series. */
            type $Shape = canopy.v1.Series.$Properties;
        }

        /**
         * Properties of a MetricMetadata.
         * @deprecated Use canopy.v1.MetricMetadata.$Properties instead.
         */
        interface IMetricMetadata extends canopy.v1.MetricMetadata.$Properties {
        }

        /** Represents a MetricMetadata. */
        class MetricMetadata {

            /**
             * Constructs a new MetricMetadata.
             * @param [p] Properties to set
             */
            constructor(p?: canopy.v1.MetricMetadata.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** MetricMetadata metric. */
            metric: string;

            /** MetricMetadata type. */
            type: string;

            /** MetricMetadata help. */
            help: string;

            /** MetricMetadata unit. */
            unit: string;

            /**
             * Creates a new MetricMetadata instance using the specified properties.
             * @param [properties] Properties to set
             * @returns MetricMetadata instance
             */
            static create(properties: canopy.v1.MetricMetadata.$Shape): canopy.v1.MetricMetadata & canopy.v1.MetricMetadata.$Shape;
            static create(properties?: canopy.v1.MetricMetadata.$Properties): canopy.v1.MetricMetadata;

            /**
             * Encodes the specified MetricMetadata message. Does not implicitly {@link canopy.v1.MetricMetadata.verify|verify} messages.
             * @param m MetricMetadata message or plain object to encode
             * @param [w] Writer to encode to
             * @returns Writer
             */
            static encode(m: canopy.v1.MetricMetadata.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a MetricMetadata message from the specified reader or buffer.
             * @param r Reader or buffer to decode from
             * @param [l] Message length if known beforehand
             * @returns {canopy.v1.MetricMetadata & canopy.v1.MetricMetadata.$Shape} MetricMetadata
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): canopy.v1.MetricMetadata & canopy.v1.MetricMetadata.$Shape;
        }

        namespace MetricMetadata {

            /** Properties of a MetricMetadata. */
            interface $Properties {

                /** MetricMetadata metric */
                metric?: (string|null);

                /** MetricMetadata type */
                type?: (string|null);

                /** MetricMetadata help */
                help?: (string|null);

                /** MetricMetadata unit */
                unit?: (string|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a MetricMetadata. */
            type $Shape = canopy.v1.MetricMetadata.$Properties;
        }

        /**
         * Properties of a QueryRequest.
         * @deprecated Use canopy.v1.QueryRequest.$Properties instead.
         */
        interface IQueryRequest extends canopy.v1.QueryRequest.$Properties {
        }

        /** Represents a QueryRequest. */
        class QueryRequest {

            /**
             * Constructs a new QueryRequest.
             * @param [p] Properties to set
             */
            constructor(p?: canopy.v1.QueryRequest.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** QueryRequest queryId. */
            queryId: string;

            /** QueryRequest expr. */
            expr: string;

            /** QueryRequest range. */
            range: boolean;

            /** QueryRequest timeMs. */
            timeMs: number;

            /** QueryRequest startMs. */
            startMs: number;

            /** QueryRequest endMs. */
            endMs: number;

            /** QueryRequest stepMs. */
            stepMs: number;

            /** QueryRequest timeoutMs. */
            timeoutMs: number;

            /** QueryRequest aggregate. */
            aggregate?: (canopy.v1.AggregateSpec.$Properties|null);

            /** QueryRequest select. */
            select: string[];

            /** QueryRequest maxSourceResolution. */
            maxSourceResolution: string;

            /** QueryRequest tenant. */
            tenant: string;

            /**
             * Creates a new QueryRequest instance using the specified properties.
             * @param [properties] Properties to set
             * @returns QueryRequest instance
             */
            static create(properties: canopy.v1.QueryRequest.$Shape): canopy.v1.QueryRequest & canopy.v1.QueryRequest.$Shape;
            static create(properties?: canopy.v1.QueryRequest.$Properties): canopy.v1.QueryRequest;

            /**
             * Encodes the specified QueryRequest message. Does not implicitly {@link canopy.v1.QueryRequest.verify|verify} messages.
             * @param m QueryRequest message or plain object to encode
             * @param [w] Writer to encode to
             * @returns Writer
             */
            static encode(m: canopy.v1.QueryRequest.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a QueryRequest message from the specified reader or buffer.
             * @param r Reader or buffer to decode from
             * @param [l] Message length if known beforehand
             * @returns {canopy.v1.QueryRequest & canopy.v1.QueryRequest.$Shape} QueryRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): canopy.v1.QueryRequest & canopy.v1.QueryRequest.$Shape;
        }

        namespace QueryRequest {

            /** Properties of a QueryRequest. */
            interface $Properties {

                /** QueryRequest queryId */
                queryId?: (string|null);

                /** QueryRequest expr */
                expr?: (string|null);

                /** QueryRequest range */
                range?: (boolean|null);

                /** QueryRequest timeMs */
                timeMs?: (number|null);

                /** QueryRequest startMs */
                startMs?: (number|null);

                /** QueryRequest endMs */
                endMs?: (number|null);

                /** QueryRequest stepMs */
                stepMs?: (number|null);

                /** QueryRequest timeoutMs */
                timeoutMs?: (number|null);

                /** QueryRequest aggregate */
                aggregate?: (canopy.v1.AggregateSpec.$Properties|null);

                /** QueryRequest select */
                select?: (string[]|null);

                /** QueryRequest maxSourceResolution */
                maxSourceResolution?: (string|null);

                /** QueryRequest tenant */
                tenant?: (string|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a QueryRequest. */
            type $Shape = canopy.v1.QueryRequest.$Properties;
        }

        /**
         * Properties of an AggregateSpec.
         * @deprecated Use canopy.v1.AggregateSpec.$Properties instead.
         */
        interface IAggregateSpec extends canopy.v1.AggregateSpec.$Properties {
        }

        /** Represents an AggregateSpec. */
        class AggregateSpec {

            /**
             * Constructs a new AggregateSpec.
             * @param [p] Properties to set
             */
            constructor(p?: canopy.v1.AggregateSpec.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** AggregateSpec op. */
            op: string;

            /** AggregateSpec grouping. */
            grouping: string[];

            /** AggregateSpec without. */
            without: boolean;

            /** AggregateSpec param. */
            param: number;

            /** AggregateSpec paramString. */
            paramString: string;

            /**
             * Creates a new AggregateSpec instance using the specified properties.
             * @param [properties] Properties to set
             * @returns AggregateSpec instance
             */
            static create(properties: canopy.v1.AggregateSpec.$Shape): canopy.v1.AggregateSpec & canopy.v1.AggregateSpec.$Shape;
            static create(properties?: canopy.v1.AggregateSpec.$Properties): canopy.v1.AggregateSpec;

            /**
             * Encodes the specified AggregateSpec message. Does not implicitly {@link canopy.v1.AggregateSpec.verify|verify} messages.
             * @param m AggregateSpec message or plain object to encode
             * @param [w] Writer to encode to
             * @returns Writer
             */
            static encode(m: canopy.v1.AggregateSpec.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an AggregateSpec message from the specified reader or buffer.
             * @param r Reader or buffer to decode from
             * @param [l] Message length if known beforehand
             * @returns {canopy.v1.AggregateSpec & canopy.v1.AggregateSpec.$Shape} AggregateSpec
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): canopy.v1.AggregateSpec & canopy.v1.AggregateSpec.$Shape;
        }

        namespace AggregateSpec {

            /** Properties of an AggregateSpec. */
            interface $Properties {

                /** AggregateSpec op */
                op?: (string|null);

                /** AggregateSpec grouping */
                grouping?: (string[]|null);

                /** AggregateSpec without */
                without?: (boolean|null);

                /** AggregateSpec param */
                param?: (number|null);

                /** AggregateSpec paramString */
                paramString?: (string|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of an AggregateSpec. */
            type $Shape = canopy.v1.AggregateSpec.$Properties;
        }

        /**
         * Properties of an AggregateState.
         * @deprecated Use canopy.v1.AggregateState.$Properties instead.
         */
        interface IAggregateState extends canopy.v1.AggregateState.$Properties {
        }

        /** Represents an AggregateState. */
        class AggregateState {

            /**
             * Constructs a new AggregateState.
             * @param [p] Properties to set
             */
            constructor(p?: canopy.v1.AggregateState.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** AggregateState group. */
            group: canopy.v1.Label.$Properties[];

            /** AggregateState timestampMs. */
            timestampMs: number;

            /** AggregateState sum. */
            sum: number;

            /** AggregateState count. */
            count: number;

            /** AggregateState min. */
            min: number;

            /** AggregateState max. */
            max: number;

            /** AggregateState mean. */
            mean: number;

            /** AggregateState m2. */
            m2: number;

            /** AggregateState values. */
            values: number[];

            /** AggregateState members. */
            members: canopy.v1.Series.$Properties[];

            /** AggregateState digest. */
            digest?: (canopy.v1.Distribution.$Properties|null);

            /**
             * Creates a new AggregateState instance using the specified properties.
             * @param [properties] Properties to set
             * @returns AggregateState instance
             */
            static create(properties: canopy.v1.AggregateState.$Shape): canopy.v1.AggregateState & canopy.v1.AggregateState.$Shape;
            static create(properties?: canopy.v1.AggregateState.$Properties): canopy.v1.AggregateState;

            /**
             * Encodes the specified AggregateState message. Does not implicitly {@link canopy.v1.AggregateState.verify|verify} messages.
             * @param m AggregateState message or plain object to encode
             * @param [w] Writer to encode to
             * @returns Writer
             */
            static encode(m: canopy.v1.AggregateState.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an AggregateState message from the specified reader or buffer.
             * @param r Reader or buffer to decode from
             * @param [l] Message length if known beforehand
             * @returns {canopy.v1.AggregateState & canopy.v1.AggregateState.$Shape} AggregateState
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): canopy.v1.AggregateState & canopy.v1.AggregateState.$Shape;
        }

        namespace AggregateState {

            /** Properties of an AggregateState. */
            interface $Properties {

                /** AggregateState group */
                group?: (canopy.v1.Label.$Properties[]|null);

                /** AggregateState timestampMs */
                timestampMs?: (number|null);

                /** AggregateState sum */
                sum?: (number|null);

                /** AggregateState count */
                count?: (number|null);

                /** AggregateState min */
                min?: (number|null);

                /** AggregateState max */
                max?: (number|null);

                /** AggregateState mean */
                mean?: (number|null);

                /** AggregateState m2 */
                m2?: (number|null);

                /** AggregateState values */
                values?: (number[]|null);

                /** AggregateState members */
                members?: (canopy.v1.Series.$Properties[]|null);

                /** AggregateState digest */
                digest?: (canopy.v1.Distribution.$Properties|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of an AggregateState. */
            type $Shape = canopy.v1.AggregateState.$Properties;
        }

        /**
         * Properties of a QueryError.
         * @deprecated Use canopy.v1.QueryError.$Properties instead.
         */
        interface IQueryError extends canopy.v1.QueryError.$Properties {
        }

        /** Represents a QueryError. */
        class QueryError {

            /**
             * Constructs a new QueryError.
             * @param [p] Properties to set
             */
            constructor(p?: canopy.v1.QueryError.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** QueryError code. */
            code: string;

            /** QueryError message. */
            message: string;

            /**
             * Creates a new QueryError instance using the specified properties.
             * @param [properties] Properties to set
             * @returns QueryError instance
             */
            static create(properties: canopy.v1.QueryError.$Shape): canopy.v1.QueryError & canopy.v1.QueryError.$Shape;
            static create(properties?: canopy.v1.QueryError.$Properties): canopy.v1.QueryError;

            /**
             * Encodes the specified QueryError message. Does not implicitly {@link canopy.v1.QueryError.verify|verify} messages.
             * @param m QueryError message or plain object to encode
             * @param [w] Writer to encode to
             * @returns Writer
             */
            static encode(m: canopy.v1.QueryError.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a QueryError message from the specified reader or buffer.
             * @param r Reader or buffer to decode from
             * @param [l] Message length if known beforehand
             * @returns {canopy.v1.QueryError & canopy.v1.QueryError.$Shape} QueryError
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): canopy.v1.QueryError & canopy.v1.QueryError.$Shape;
        }

        namespace QueryError {

            /** Properties of a QueryError. */
            interface $Properties {

                /** QueryError code */
                code?: (string|null);

                /** QueryError message */
                message?: (string|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a QueryError. */
            type $Shape = canopy.v1.QueryError.$Properties;
        }

        /**
         * Properties of a PartialResult.
         * @deprecated Use canopy.v1.PartialResult.$Properties instead.
         */
        interface IPartialResult extends canopy.v1.PartialResult.$Properties {
        }

        /** Represents a PartialResult. */
        class PartialResult {

            /**
             * Constructs a new PartialResult.
             * @param [p] Properties to set
             */
            constructor(p?: canopy.v1.PartialResult.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** PartialResult queryId. */
            queryId: string;

            /** PartialResult zone. */
            zone: string;

            /** PartialResult region. */
            region: string;

            /** PartialResult chunkIndex. */
            chunkIndex: number;

            /** PartialResult last. */
            last: boolean;

            /** PartialResult resultType. */
            resultType: string;

            /** PartialResult series. */
            series: canopy.v1.Series.$Properties[];

            /** PartialResult scalar. */
            scalar: number;

            /** PartialResult stringValue. */
            stringValue: string;

            /** PartialResult aggregates. */
            aggregates: canopy.v1.AggregateState.$Properties[];

            /** PartialResult warnings. */
            warnings: string[];

            /** PartialResult error. */
            error?: (canopy.v1.QueryError.$Properties|null);

            /** PartialResult samplesLoaded. */
            samplesLoaded: number;

            /** PartialResult resolution. */
            resolution: string;

            /**
             * Creates a new PartialResult instance using the specified properties.
             * @param [properties] Properties to set
             * @returns PartialResult instance
             */
            static create(properties: canopy.v1.PartialResult.$Shape): canopy.v1.PartialResult & canopy.v1.PartialResult.$Shape;
            static create(properties?: canopy.v1.PartialResult.$Properties): canopy.v1.PartialResult;

            /**
             * Encodes the specified PartialResult message. Does not implicitly {@link canopy.v1.PartialResult.verify|verify} messages.
             * @param m PartialResult message or plain object to encode
             * @param [w] Writer to encode to
             * @returns Writer
             */
            static encode(m: canopy.v1.PartialResult.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a PartialResult message from the specified reader or buffer.
             * @param r Reader or buffer to decode from
             * @param [l] Message length if known beforehand
             * @returns {canopy.v1.PartialResult & canopy.v1.PartialResult.$Shape} PartialResult
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): canopy.v1.PartialResult & canopy.v1.PartialResult.$Shape;
        }

        namespace PartialResult {

            /** Properties of a PartialResult. */
            interface $Properties {

                /** PartialResult queryId */
                queryId?: (string|null);

                /** PartialResult zone */
                zone?: (string|null);

                /** PartialResult region */
                region?: (string|null);

                /** PartialResult chunkIndex */
                chunkIndex?: (number|null);

                /** PartialResult last */
                last?: (boolean|null);

                /** PartialResult resultType */
                resultType?: (string|null);

                /** PartialResult series */
                series?: (canopy.v1.Series.$Properties[]|null);

                /** PartialResult scalar */
                scalar?: (number|null);

                /** PartialResult stringValue */
                stringValue?: (string|null);

                /** PartialResult aggregates */
                aggregates?: (canopy.v1.AggregateState.$Properties[]|null);

                /** PartialResult warnings */
                warnings?: (string[]|null);

                /** PartialResult error */
                error?: (canopy.v1.QueryError.$Properties|null);

                /** PartialResult samplesLoaded */
                samplesLoaded?: (number|null);

                /** PartialResult resolution */
                resolution?: (string|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a PartialResult. */
            type $Shape = canopy.v1.PartialResult.$Properties;
        }

        /**
         * Properties of a MetadataRequest.
         * @deprecated Use canopy.v1.MetadataRequest.$Properties instead.
         */
        interface IMetadataRequest extends canopy.v1.MetadataRequest.$Properties {
        }

        /** Represents a MetadataRequest. */
        class MetadataRequest {

            /**
             * Constructs a new MetadataRequest.
             * @param [p] Properties to set
             */
            constructor(p?: canopy.v1.MetadataRequest.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** MetadataRequest queryId. */
            queryId: string;

            /** MetadataRequest kind. */
            kind: canopy.v1.MetadataRequest.Kind;

            /** MetadataRequest matchers. */
            matchers: string[];

            /** MetadataRequest labelName. */
            labelName: string;

            /** MetadataRequest startMs. */
            startMs: number;

            /** MetadataRequest endMs. */
            endMs: number;

            /** MetadataRequest limit. */
            limit: number;

            /** MetadataRequest timeoutMs. */
            timeoutMs: number;

            /** MetadataRequest tenant. */
            tenant: string;

            /**
             * Creates a new MetadataRequest instance using the specified properties.
             * @param [properties] Properties to set
             * @returns MetadataRequest instance
             */
            static create(properties: canopy.v1.MetadataRequest.$Shape): canopy.v1.MetadataRequest & canopy.v1.MetadataRequest.$Shape;
            static create(properties?: canopy.v1.MetadataRequest.$Properties): canopy.v1.MetadataRequest;

            /**
             * Encodes the specified MetadataRequest message. Does not implicitly {@link canopy.v1.MetadataRequest.verify|verify} messages.
             * @param m MetadataRequest message or plain object to encode
             * @param [w] Writer to encode to
             * @returns Writer
             */
            static encode(m: canopy.v1.MetadataRequest.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a MetadataRequest message from the specified reader or buffer.
             * @param r Reader or buffer to decode from
             * @param [l] Message length if known beforehand
             * @returns {canopy.v1.MetadataRequest & canopy.v1.MetadataRequest.$Shape} MetadataRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): canopy.v1.MetadataRequest & canopy.v1.MetadataRequest.$Shape;
        }

        namespace MetadataRequest {

            /** Properties of a MetadataRequest. */
            interface $Properties {

                /** MetadataRequest queryId */
                queryId?: (string|null);

                /** MetadataRequest kind */
                kind?: (canopy.v1.MetadataRequest.Kind|null);

                /** MetadataRequest matchers */
                matchers?: (string[]|null);

                /** MetadataRequest labelName */
                labelName?: (string|null);

                /** MetadataRequest startMs */
                startMs?: (number|null);

                /** MetadataRequest endMs */
                endMs?: (number|null);

                /** MetadataRequest limit */
                limit?: (number|null);

                /** MetadataRequest timeoutMs */
                timeoutMs?: (number|null);

                /** MetadataRequest tenant */
                tenant?: (string|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a MetadataRequest. */
            type $Shape = canopy.v1.MetadataRequest.$Properties;

            /** Kind enum. */
            enum Kind {

                /** SERIES value */
                SERIES = 0,

                /** LABEL_NAMES value */
                LABEL_NAMES = 1,

                /** LABEL_VALUES value */
                LABEL_VALUES = 2,

                /** METADATA value */
                METADATA = 3,

                /** HINTS value */
                HINTS = 4,

                /** CARDINALITY value */
                CARDINALITY = 5
            }
        }

        /**
         * Properties of a MetadataResult.
         * @deprecated Use canopy.v1.MetadataResult.$Properties instead.
         */
        interface IMetadataResult extends canopy.v1.MetadataResult.$Properties {
        }

        /** Represents a MetadataResult. */
        class MetadataResult {

            /**
             * Constructs a new MetadataResult.
             * @param [p] Properties to set
             */
            constructor(p?: canopy.v1.MetadataResult.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** MetadataResult queryId. */
            queryId: string;

            /** MetadataResult zone. */
            zone: string;

            /** MetadataResult series. */
            series: canopy.v1.Series.$Properties[];

            /** MetadataResult values. */
            values: string[];

            /** MetadataResult metadata. */
            metadata: canopy.v1.MetricMetadata.$Properties[];

            /** MetadataResult warnings. */
            warnings: string[];

            /** MetadataResult error. */
            error?: (canopy.v1.QueryError.$Properties|null);

            /** MetadataResult hints. */
            hints?: (canopy.v1.ZoneHints.$Properties|null);

            /** MetadataResult chunkIndex. */
            chunkIndex: number;

            /** MetadataResult last. */
            last: boolean;

            /**
             * Creates a new MetadataResult instance using the specified properties.
             * @param [properties] Properties to set
             * @returns MetadataResult instance
             */
            static create(properties: canopy.v1.MetadataResult.$Shape): canopy.v1.MetadataResult & canopy.v1.MetadataResult.$Shape;
            static create(properties?: canopy.v1.MetadataResult.$Properties): canopy.v1.MetadataResult;

            /**
             * Encodes the specified MetadataResult message. Does not implicitly {@link canopy.v1.MetadataResult.verify|verify} messages.
             * @param m MetadataResult message or plain object to encode
             * @param [w] Writer to encode to
             * @returns Writer
             */
            static encode(m: canopy.v1.MetadataResult.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a MetadataResult message from the specified reader or buffer.
             * @param r Reader or buffer to decode from
             * @param [l] Message length if known beforehand
             * @returns {canopy.v1.MetadataResult & canopy.v1.MetadataResult.$Shape} MetadataResult
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): canopy.v1.MetadataResult & canopy.v1.MetadataResult.$Shape;
        }

        namespace MetadataResult {

            /** Properties of a MetadataResult. */
            interface $Properties {

                /** MetadataResult queryId */
                queryId?: (string|null);

                /** MetadataResult zone */
                zone?: (string|null);

                /** MetadataResult series */
                series?: (canopy.v1.Series.$Properties[]|null);

                /** MetadataResult values */
                values?: (string[]|null);

                /** MetadataResult metadata */
                metadata?: (canopy.v1.MetricMetadata.$Properties[]|null);

                /** MetadataResult warnings */
                warnings?: (string[]|null);

                /** MetadataResult error */
                error?: (canopy.v1.QueryError.$Properties|null);

                /** MetadataResult hints */
                hints?: (canopy.v1.ZoneHints.$Properties|null);

                /** MetadataResult chunkIndex */
                chunkIndex?: (number|null);

                /** MetadataResult last */
                last?: (boolean|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a MetadataResult. */
            type $Shape = canopy.v1.MetadataResult.$Properties;
        }

        /**
         * Properties of a ZoneHints.
         * @deprecated Use canopy.v1.ZoneHints.$Properties instead.
         */
        interface IZoneHints extends canopy.v1.ZoneHints.$Properties {
        }

        /** Represents a ZoneHints. */
        class ZoneHints {

            /**
             * Constructs a new ZoneHints.
             * @param [p] Properties to set
             */
            constructor(p?: canopy.v1.ZoneHints.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** ZoneHints zone. */
            zone: string;

            /** ZoneHints region. */
            region: string;

            /** ZoneHints timestampMs. */
            timestampMs: number;

            /** ZoneHints seriesCount. */
            seriesCount: number;

            /** ZoneHints metricNames. */
            metricNames: string[];

            /** ZoneHints labels. */
            labels: canopy.v1.LabelSummary.$Properties[];

            /** ZoneHints cardinality. */
            cardinality: canopy.v1.MetricCardinality.$Properties[];

            /** ZoneHints externalLabels. */
            externalLabels: canopy.v1.Label.$Properties[];

            /** ZoneHints incarnation. */
            incarnation: string;

            /** ZoneHints seq. */
            seq: number;

            /** ZoneHints kind. */
            kind: canopy.v1.ZoneHints.Kind;

            /** ZoneHints chunkIndex. */
            chunkIndex: number;

            /** ZoneHints last. */
            last: boolean;

            /** ZoneHints leaseMs. */
            leaseMs: number;

            /** ZoneHints metricNamesIncomplete. */
            metricNamesIncomplete: boolean;

            /** ZoneHints labelNamesIncomplete. */
            labelNamesIncomplete: boolean;

            /** ZoneHints labelPairs. */
            labelPairs: canopy.v1.LabelPairCardinality.$Properties[];

            /** ZoneHints labelPairsTotal. */
            labelPairsTotal: number;

            /**
             * Creates a new ZoneHints instance using the specified properties.
             * @param [properties] Properties to set
             * @returns ZoneHints instance
             */
            static create(properties: canopy.v1.ZoneHints.$Shape): canopy.v1.ZoneHints & canopy.v1.ZoneHints.$Shape;
            static create(properties?: canopy.v1.ZoneHints.$Properties): canopy.v1.ZoneHints;

            /**
             * Encodes the specified ZoneHints message. Does not implicitly {@link canopy.v1.ZoneHints.verify|verify} messages.
             * @param m ZoneHints message or plain object to encode
             * @param [w] Writer to encode to
             * @returns Writer
             */
            static encode(m: canopy.v1.ZoneHints.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a ZoneHints message from the specified reader or buffer.
             * @param r Reader or buffer to decode from
             * @param [l] Message length if known beforehand
             * @returns {canopy.v1.ZoneHints & canopy.v1.ZoneHints.$Shape} ZoneHints
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): canopy.v1.ZoneHints & canopy.v1.ZoneHints.$Shape;
        }

        namespace ZoneHints {

            /** Properties of a ZoneHints. */
            interface $Properties {

                /** ZoneHints zone */
                zone?: (string|null);

                /** ZoneHints region */
                region?: (string|null);

                /** ZoneHints timestampMs */
                timestampMs?: (number|null);

                /** ZoneHints seriesCount */
                seriesCount?: (number|null);

                /** ZoneHints metricNames */
                metricNames?: (string[]|null);

                /** ZoneHints labels */
                labels?: (canopy.v1.LabelSummary.$Properties[]|null);

                /** ZoneHints cardinality */
                cardinality?: (canopy.v1.MetricCardinality.$Properties[]|null);

                /** ZoneHints externalLabels */
                externalLabels?: (canopy.v1.Label.$Properties[]|null);

                /** ZoneHints incarnation */
                incarnation?: (string|null);

                /** ZoneHints seq */
                seq?: (number|null);

                /** ZoneHints kind */
                kind?: (canopy.v1.ZoneHints.Kind|null);

                /** ZoneHints chunkIndex */
                chunkIndex?: (number|null);

                /** ZoneHints last */
                last?: (boolean|null);

                /** ZoneHints leaseMs */
                leaseMs?: (number|null);

                /** ZoneHints metricNamesIncomplete */
                metricNamesIncomplete?: (boolean|null);

                /** ZoneHints labelNamesIncomplete */
                labelNamesIncomplete?: (boolean|null);

                /** ZoneHints labelPairs */
                labelPairs?: (canopy.v1.LabelPairCardinality.$Properties[]|null);

                /** ZoneHints labelPairsTotal */
                labelPairsTotal?: (number|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a ZoneHints. */
            type $Shape = canopy.v1.ZoneHints.$Properties;

            /** Kind enum. */
            enum Kind {

                /** UNVERSIONED value */
                UNVERSIONED = 0,

                /** SNAPSHOT value */
                SNAPSHOT = 1,

                /** DELTA value */
                DELTA = 2,

                /** KEEPALIVE value */
                KEEPALIVE = 3
            }
        }

        /**
         * Properties of a HintSyncRequest.
         * @deprecated Use canopy.v1.HintSyncRequest.$Properties instead.
         */
        interface IHintSyncRequest extends canopy.v1.HintSyncRequest.$Properties {
        }

        /** Represents a HintSyncRequest. */
        class HintSyncRequest {

            /**
             * Constructs a new HintSyncRequest.
             * @param [p] Properties to set
             */
            constructor(p?: canopy.v1.HintSyncRequest.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** HintSyncRequest zone. */
            zone: string;

            /**
             * Creates a new HintSyncRequest instance using the specified properties.
             * @param [properties] Properties to set
             * @returns HintSyncRequest instance
             */
            static create(properties: canopy.v1.HintSyncRequest.$Shape): canopy.v1.HintSyncRequest & canopy.v1.HintSyncRequest.$Shape;
            static create(properties?: canopy.v1.HintSyncRequest.$Properties): canopy.v1.HintSyncRequest;

            /**
             * Encodes the specified HintSyncRequest message. Does not implicitly {@link canopy.v1.HintSyncRequest.verify|verify} messages.
             * @param m HintSyncRequest message or plain object to encode
             * @param [w] Writer to encode to
             * @returns Writer
             */
            static encode(m: canopy.v1.HintSyncRequest.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a HintSyncRequest message from the specified reader or buffer.
             * @param r Reader or buffer to decode from
             * @param [l] Message length if known beforehand
             * @returns {canopy.v1.HintSyncRequest & canopy.v1.HintSyncRequest.$Shape} HintSyncRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): canopy.v1.HintSyncRequest & canopy.v1.HintSyncRequest.$Shape;
        }

        namespace HintSyncRequest {

            /** Properties of a HintSyncRequest. */
            interface $Properties {

                /** HintSyncRequest zone */
                zone?: (string|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a HintSyncRequest. */
            type $Shape = canopy.v1.HintSyncRequest.$Properties;
        }

        /**
         * Properties of a LabelSummary.
         * @deprecated Use canopy.v1.LabelSummary.$Properties instead.
         */
        interface ILabelSummary extends canopy.v1.LabelSummary.$Properties {
        }

        /** Represents a LabelSummary. */
        class LabelSummary {

            /**
             * Constructs a new LabelSummary.
             * @param [p] Properties to set
             */
            constructor(p?: canopy.v1.LabelSummary.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** LabelSummary name. */
            name: string;

            /** LabelSummary values. */
            values: string[];

            /** LabelSummary complete. */
            complete: boolean;

            /** LabelSummary valueCount. */
            valueCount: number;

            /**
             * Creates a new LabelSummary instance using the specified properties.
             * @param [properties] Properties to set
             * @returns LabelSummary instance
             */
            static create(properties: canopy.v1.LabelSummary.$Shape): canopy.v1.LabelSummary & canopy.v1.LabelSummary.$Shape;
            static create(properties?: canopy.v1.LabelSummary.$Properties): canopy.v1.LabelSummary;

            /**
             * Encodes the specified LabelSummary message. Does not implicitly {@link canopy.v1.LabelSummary.verify|verify} messages.
             * @param m LabelSummary message or plain object to encode
             * @param [w] Writer to encode to
             * @returns Writer
             */
            static encode(m: canopy.v1.LabelSummary.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a LabelSummary message from the specified reader or buffer.
             * @param r Reader or buffer to decode from
             * @param [l] Message length if known beforehand
             * @returns {canopy.v1.LabelSummary & canopy.v1.LabelSummary.$Shape} LabelSummary
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): canopy.v1.LabelSummary & canopy.v1.LabelSummary.$Shape;
        }

        namespace LabelSummary {

            /** Properties of a LabelSummary. */
            interface $Properties {

                /** LabelSummary name */
                name?: (string|null);

                /** LabelSummary values */
                values?: (string[]|null);

                /** LabelSummary complete */
                complete?: (boolean|null);

                /** LabelSummary valueCount */
                valueCount?: (number|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a LabelSummary. */
            type $Shape = canopy.v1.LabelSummary.$Properties;
        }

        /**
         * Properties of a MetricCardinality.
         * @deprecated Use canopy.v1.MetricCardinality.$Properties instead.
         */
        interface IMetricCardinality extends canopy.v1.MetricCardinality.$Properties {
        }

        /** Represents a MetricCardinality. */
        class MetricCardinality {

            /**
             * Constructs a new MetricCardinality.
             * @param [p] Properties to set
             */
            constructor(p?: canopy.v1.MetricCardinality.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** MetricCardinality metric. */
            metric: string;

            /** MetricCardinality sketch. */
            sketch: Uint8Array;

            /** MetricCardinality series. */
            series: number;

            /**
             * Creates a new MetricCardinality instance using the specified properties.
             * @param [properties] Properties to set
             * @returns MetricCardinality instance
             */
            static create(properties: canopy.v1.MetricCardinality.$Shape): canopy.v1.MetricCardinality & canopy.v1.MetricCardinality.$Shape;
            static create(properties?: canopy.v1.MetricCardinality.$Properties): canopy.v1.MetricCardinality;

            /**
             * Encodes the specified MetricCardinality message. Does not implicitly {@link canopy.v1.MetricCardinality.verify|verify} messages.
             * @param m MetricCardinality message or plain object to encode
             * @param [w] Writer to encode to
             * @returns Writer
             */
            static encode(m: canopy.v1.MetricCardinality.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a MetricCardinality message from the specified reader or buffer.
             * @param r Reader or buffer to decode from
             * @param [l] Message length if known beforehand
             * @returns {canopy.v1.MetricCardinality & canopy.v1.MetricCardinality.$Shape} MetricCardinality
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): canopy.v1.MetricCardinality & canopy.v1.MetricCardinality.$Shape;
        }

        namespace MetricCardinality {

            /** Properties of a MetricCardinality. */
            interface $Properties {

                /** MetricCardinality metric */
                metric?: (string|null);

                /** MetricCardinality sketch */
                sketch?: (Uint8Array|null);

                /** MetricCardinality series */
                series?: (number|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a MetricCardinality. */
            type $Shape = canopy.v1.MetricCardinality.$Properties;
        }

        /**
         * Properties of a LabelPairCardinality.
         * @deprecated Use canopy.v1.LabelPairCardinality.$Properties instead.
         */
        interface ILabelPairCardinality extends canopy.v1.LabelPairCardinality.$Properties {
        }

        /** Represents a LabelPairCardinality. */
        class LabelPairCardinality {

            /**
             * Constructs a new LabelPairCardinality.
             * @param [p] Properties to set
             */
            constructor(p?: canopy.v1.LabelPairCardinality.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** LabelPairCardinality name. */
            name: string;

            /** LabelPairCardinality value. */
            value: string;

            /** LabelPairCardinality sketch. */
            sketch: Uint8Array;

            /** LabelPairCardinality series. */
            series: number;

            /**
             * Creates a new LabelPairCardinality instance using the specified properties.
             * @param [properties] Properties to set
             * @returns LabelPairCardinality instance
             */
            static create(properties: canopy.v1.LabelPairCardinality.$Shape): canopy.v1.LabelPairCardinality & canopy.v1.LabelPairCardinality.$Shape;
            static create(properties?: canopy.v1.LabelPairCardinality.$Properties): canopy.v1.LabelPairCardinality;

            /**
             * Encodes the specified LabelPairCardinality message. Does not implicitly {@link canopy.v1.LabelPairCardinality.verify|verify} messages.
             * @param m LabelPairCardinality message or plain object to encode
             * @param [w] Writer to encode to
             * @returns Writer
             */
            static encode(m: canopy.v1.LabelPairCardinality.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a LabelPairCardinality message from the specified reader or buffer.
             * @param r Reader or buffer to decode from
             * @param [l] Message length if known beforehand
             * @returns {canopy.v1.LabelPairCardinality & canopy.v1.LabelPairCardinality.$Shape} LabelPairCardinality
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): canopy.v1.LabelPairCardinality & canopy.v1.LabelPairCardinality.$Shape;
        }

        namespace LabelPairCardinality {

            /** Properties of a LabelPairCardinality. */
            interface $Properties {

                /** LabelPairCardinality name */
                name?: (string|null);

                /** LabelPairCardinality value */
                value?: (string|null);

                /** LabelPairCardinality sketch */
                sketch?: (Uint8Array|null);

                /** LabelPairCardinality series */
                series?: (number|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a LabelPairCardinality. */
            type $Shape = canopy.v1.LabelPairCardinality.$Properties;
        }

        /**
         * Properties of a Heartbeat.
         * @deprecated Use canopy.v1.Heartbeat.$Properties instead.
         */
        interface IHeartbeat extends canopy.v1.Heartbeat.$Properties {
        }

        /** Represents a Heartbeat. */
        class Heartbeat {

            /**
             * Constructs a new Heartbeat.
             * @param [p] Properties to set
             */
            constructor(p?: canopy.v1.Heartbeat.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Heartbeat zone. */
            zone: string;

            /** Heartbeat region. */
            region: string;

            /** Heartbeat timestampMs. */
            timestampMs: number;

            /** Heartbeat startedMs. */
            startedMs: number;

            /** Heartbeat seriesCount. */
            seriesCount: number;

            /** Heartbeat version. */
            version: string;

            /** Heartbeat httpUrl. */
            httpUrl: string;

            /** Heartbeat externalLabels. */
            externalLabels: canopy.v1.Label.$Properties[];

            /**
             * Creates a new Heartbeat instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Heartbeat instance
             */
            static create(properties: canopy.v1.Heartbeat.$Shape): canopy.v1.Heartbeat & canopy.v1.Heartbeat.$Shape;
            static create(properties?: canopy.v1.Heartbeat.$Properties): canopy.v1.Heartbeat;

            /**
             * Encodes the specified Heartbeat message. Does not implicitly {@link canopy.v1.Heartbeat.verify|verify} messages.
             * @param m Heartbeat message or plain object to encode
             * @param [w] Writer to encode to
             * @returns Writer
             */
            static encode(m: canopy.v1.Heartbeat.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Heartbeat message from the specified reader or buffer.
             * @param r Reader or buffer to decode from
             * @param [l] Message length if known beforehand
             * @returns {canopy.v1.Heartbeat & canopy.v1.Heartbeat.$Shape} Heartbeat
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): canopy.v1.Heartbeat & canopy.v1.Heartbeat.$Shape;
        }

        namespace Heartbeat {

            /** Properties of a Heartbeat. */
            interface $Properties {

                /** Heartbeat zone */
                zone?: (string|null);

                /** Heartbeat region */
                region?: (string|null);

                /** Heartbeat timestampMs */
                timestampMs?: (number|null);

                /** Heartbeat startedMs */
                startedMs?: (number|null);

                /** Heartbeat seriesCount */
                seriesCount?: (number|null);

                /** Heartbeat version */
                version?: (string|null);

                /** Heartbeat httpUrl */
                httpUrl?: (string|null);

                /** Heartbeat externalLabels */
                externalLabels?: (canopy.v1.Label.$Properties[]|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a Heartbeat. */
            type $Shape = canopy.v1.Heartbeat.$Properties;
        }
    }
}
