/*eslint-disable block-scoped-var, id-length, no-control-regex, no-magic-numbers, no-mixed-operators, no-prototype-builtins, no-redeclare, no-shadow, no-var, sort-vars, default-case, jsdoc/require-param*/
import $protobuf from "protobufjs/minimal.js";

// Common aliases
const $Reader = $protobuf.Reader, $Writer = $protobuf.Writer, $util = $protobuf.util;
const $Object = $util.global.Object, $undefined = $util.global.undefined, $Error = $util.global.Error, $RangeError = $util.global.RangeError;

// Exported root namespace
const $root = $protobuf.roots["default"] || ($protobuf.roots["default"] = {});

export const canopy = $root.canopy = (() => {

    /**
     * Namespace canopy.
     * @exports canopy
     * @namespace
     */
    const canopy = {};

    canopy.v1 = (function() {

        /**
         * Namespace v1.
         * @memberof canopy
         * @namespace
         */
        const v1 = {};

        v1.Batch = (function() {

            /**
             * Properties of a Batch.
             * @typedef {Object} canopy.v1.Batch.$Properties
             * @property {string|null} [batchId] Batch batchId
             * @property {string|null} [source] Batch source
             * @property {Array.<canopy.v1.Series.$Properties>|null} [series] Batch series
             * @property {number|null} [createdMs] Batch createdMs
             * @property {Array.<canopy.v1.MetricMetadata.$Properties>|null} [metadata] Batch metadata
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Batch.
             * @memberof canopy.v1
             * @interface IBatch
             * @augments canopy.v1.Batch.$Properties
             * @deprecated Use canopy.v1.Batch.$Properties instead.
             */

            /**
             * Shape of a Batch.
             * @typedef {canopy.v1.Batch.$Properties} canopy.v1.Batch.$Shape
             */

            /**
             * Constructs a new Batch.
             * @memberof canopy.v1
             * @classdesc Represents a Batch.
             * @constructor
             * @param {canopy.v1.Batch.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Batch = function (p) {
                this.series = [];
                this.metadata = [];
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * Batch batchId.
             * @member {string} batchId
             * @memberof canopy.v1.Batch
             * @instance
             */
            Batch.prototype.batchId = "";

            /**
             * Batch source.
             * @member {string} source
             * @memberof canopy.v1.Batch
             * @instance
             */
            Batch.prototype.source = "";

            /**
             * Batch series.
             * @member {Array.<canopy.v1.Series.$Properties>} series
             * @memberof canopy.v1.Batch
             * @instance
             */
            Batch.prototype.series = $util.emptyArray;

            /**
             * Batch createdMs.
             * @member {number} createdMs
             * @memberof canopy.v1.Batch
             * @instance
             */
            Batch.prototype.createdMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * Batch metadata.
             * @member {Array.<canopy.v1.MetricMetadata.$Properties>} metadata
             * @memberof canopy.v1.Batch
             * @instance
             */
            Batch.prototype.metadata = $util.emptyArray;

            /**
             * Creates a new Batch instance using the specified properties.
             * @function create
             * @memberof canopy.v1.Batch
             * @static
             * @param {canopy.v1.Batch.$Properties=} [properties] Properties to set
             * @returns {canopy.v1.Batch} Batch instance
             * @type {{
             *   (properties: canopy.v1.Batch.$Shape): canopy.v1.Batch & canopy.v1.Batch.$Shape;
             *   (properties?: canopy.v1.Batch.$Properties): canopy.v1.Batch;
             * }}
             */
            Batch.create = function(properties) {
                return new Batch(properties);
            };

            /**
             * Encodes the specified Batch message. Does not implicitly {@link canopy.v1.Batch.verify|verify} messages.
             * @function encode
             * @memberof canopy.v1.Batch
             * @static
             * @param {canopy.v1.Batch.$Properties} m Batch message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Batch.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.batchId != null && $Object.hasOwnProperty.call(m, "batchId") && m.batchId !== "")
                    w.uint32(/* id 1, wireType 2 =*/10).string(m.batchId);
                if (m.source != null && $Object.hasOwnProperty.call(m, "source") && m.source !== "")
                    w.uint32(/* id 2, wireType 2 =*/18).string(m.source);
                if (m.series != null && m.series.length) {
                    for (var i = 0; i < m.series.length; ++i)
                        $root.canopy.v1.Series.encode(m.series[i], w.uint32(/* id 3, wireType 2 =*/26).fork(), q + 1).ldelim();
                }
                if (m.createdMs != null && $Object.hasOwnProperty.call(m, "createdMs") && (typeof m.createdMs === "object" ? m.createdMs.low || m.createdMs.high : m.createdMs !== 0))
                    w.uint32(/* id 4, wireType 0 =*/32).int64(m.createdMs);
                if (m.metadata != null && m.metadata.length) {
                    for (var i = 0; i < m.metadata.length; ++i)
                        $root.canopy.v1.MetricMetadata.encode(m.metadata[i], w.uint32(/* id 5, wireType 2 =*/42).fork(), q + 1).ldelim();
                }
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes a Batch message from the specified reader or buffer.
             * @function decode
             * @memberof canopy.v1.Batch
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {canopy.v1.Batch & canopy.v1.Batch.$Shape} Batch
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Batch.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.canopy.v1.Batch();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.batchId = v;
                            else
                                delete m.batchId;
                            continue;
                        }
                    case 2: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.source = v;
                            else
                                delete m.source;
                            continue;
                        }
                    case 3: {
                            if (u !== 2)
                                break;
                            if (!(m.series && m.series.length))
                                m.series = [];
                            m.series.push($root.canopy.v1.Series.decode(r, r.size(), $undefined, q + 1));
                            continue;
                        }
                    case 4: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.int64()) === "object" ? v.low || v.high : v !== 0)
                                m.createdMs = v;
                            else
                                delete m.createdMs;
                            continue;
                        }
                    case 5: {
                            if (u !== 2)
                                break;
                            if (!(m.metadata && m.metadata.length))
                                m.metadata = [];
                            m.metadata.push($root.canopy.v1.MetricMetadata.decode(r, r.size(), $undefined, q + 1));
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            return Batch;
        })();

        v1.Rejection = (function() {

            /**
             * Properties of a Rejection.
             * @typedef {Object} canopy.v1.Rejection.$Properties
             * @property {string|null} [reason] Rejection reason
             * @property {number|null} [count] Rejection count
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Rejection.
             * @memberof canopy.v1
             * @interface IRejection
             * @augments canopy.v1.Rejection.$Properties
             * @deprecated Use canopy.v1.Rejection.$Properties instead.
             */

            /**
             * Shape of a Rejection.
             * @typedef {canopy.v1.Rejection.$Properties} canopy.v1.Rejection.$Shape
             */

            /**
             * Constructs a new Rejection.
             * @memberof canopy.v1
             * @classdesc Represents a Rejection.
             * @constructor
             * @param {canopy.v1.Rejection.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Rejection = function (p) {
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * Rejection reason.
             * @member {string} reason
             * @memberof canopy.v1.Rejection
             * @instance
             */
            Rejection.prototype.reason = "";

            /**
             * Rejection count.
             * @member {number} count
             * @memberof canopy.v1.Rejection
             * @instance
             */
            Rejection.prototype.count = 0;

            /**
             * Creates a new Rejection instance using the specified properties.
             * @function create
             * @memberof canopy.v1.Rejection
             * @static
             * @param {canopy.v1.Rejection.$Properties=} [properties] Properties to set
             * @returns {canopy.v1.Rejection} Rejection instance
             * @type {{
             *   (properties: canopy.v1.Rejection.$Shape): canopy.v1.Rejection & canopy.v1.Rejection.$Shape;
             *   (properties?: canopy.v1.Rejection.$Properties): canopy.v1.Rejection;
             * }}
             */
            Rejection.create = function(properties) {
                return new Rejection(properties);
            };

            /**
             * Encodes the specified Rejection message. Does not implicitly {@link canopy.v1.Rejection.verify|verify} messages.
             * @function encode
             * @memberof canopy.v1.Rejection
             * @static
             * @param {canopy.v1.Rejection.$Properties} m Rejection message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Rejection.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.reason != null && $Object.hasOwnProperty.call(m, "reason") && m.reason !== "")
                    w.uint32(/* id 1, wireType 2 =*/10).string(m.reason);
                if (m.count != null && $Object.hasOwnProperty.call(m, "count") && m.count !== 0)
                    w.uint32(/* id 2, wireType 0 =*/16).uint32(m.count);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes a Rejection message from the specified reader or buffer.
             * @function decode
             * @memberof canopy.v1.Rejection
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {canopy.v1.Rejection & canopy.v1.Rejection.$Shape} Rejection
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Rejection.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.canopy.v1.Rejection();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.reason = v;
                            else
                                delete m.reason;
                            continue;
                        }
                    case 2: {
                            if (u !== 0)
                                break;
                            if (v = r.uint32())
                                m.count = v;
                            else
                                delete m.count;
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            return Rejection;
        })();

        v1.Ack = (function() {

            /**
             * Properties of an Ack.
             * @typedef {Object} canopy.v1.Ack.$Properties
             * @property {string|null} [batchId] Ack batchId
             * @property {canopy.v1.Ack.Status|null} [status] Ack status
             * @property {number|null} [accepted] Ack accepted
             * @property {number|null} [rejected] Ack rejected
             * @property {Array.<canopy.v1.Rejection.$Properties>|null} [rejections] Ack rejections
             * @property {string|null} [message] Ack message
             * @property {boolean|null} [duplicate] Ack duplicate
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of an Ack.
             * @memberof canopy.v1
             * @interface IAck
             * @augments canopy.v1.Ack.$Properties
             * @deprecated Use canopy.v1.Ack.$Properties instead.
             */

            /**
             * Shape of an Ack.
             * @typedef {canopy.v1.Ack.$Properties} canopy.v1.Ack.$Shape
             */

            /**
             * Constructs a new Ack.
             * @memberof canopy.v1
             * @classdesc Represents an Ack.
             * @constructor
             * @param {canopy.v1.Ack.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Ack = function (p) {
                this.rejections = [];
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * Ack batchId.
             * @member {string} batchId
             * @memberof canopy.v1.Ack
             * @instance
             */
            Ack.prototype.batchId = "";

            /**
             * Ack status.
             * @member {canopy.v1.Ack.Status} status
             * @memberof canopy.v1.Ack
             * @instance
             */
            Ack.prototype.status = 0;

            /**
             * Ack accepted.
             * @member {number} accepted
             * @memberof canopy.v1.Ack
             * @instance
             */
            Ack.prototype.accepted = 0;

            /**
             * Ack rejected.
             * @member {number} rejected
             * @memberof canopy.v1.Ack
             * @instance
             */
            Ack.prototype.rejected = 0;

            /**
             * Ack rejections.
             * @member {Array.<canopy.v1.Rejection.$Properties>} rejections
             * @memberof canopy.v1.Ack
             * @instance
             */
            Ack.prototype.rejections = $util.emptyArray;

            /**
             * Ack message.
             * @member {string} message
             * @memberof canopy.v1.Ack
             * @instance
             */
            Ack.prototype.message = "";

            /**
             * Ack duplicate.
             * @member {boolean} duplicate
             * @memberof canopy.v1.Ack
             * @instance
             */
            Ack.prototype.duplicate = false;

            /**
             * Creates a new Ack instance using the specified properties.
             * @function create
             * @memberof canopy.v1.Ack
             * @static
             * @param {canopy.v1.Ack.$Properties=} [properties] Properties to set
             * @returns {canopy.v1.Ack} Ack instance
             * @type {{
             *   (properties: canopy.v1.Ack.$Shape): canopy.v1.Ack & canopy.v1.Ack.$Shape;
             *   (properties?: canopy.v1.Ack.$Properties): canopy.v1.Ack;
             * }}
             */
            Ack.create = function(properties) {
                return new Ack(properties);
            };

            /**
             * Encodes the specified Ack message. Does not implicitly {@link canopy.v1.Ack.verify|verify} messages.
             * @function encode
             * @memberof canopy.v1.Ack
             * @static
             * @param {canopy.v1.Ack.$Properties} m Ack message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Ack.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.batchId != null && $Object.hasOwnProperty.call(m, "batchId") && m.batchId !== "")
                    w.uint32(/* id 1, wireType 2 =*/10).string(m.batchId);
                if (m.status != null && $Object.hasOwnProperty.call(m, "status") && m.status !== 0)
                    w.uint32(/* id 2, wireType 0 =*/16).int32(m.status);
                if (m.accepted != null && $Object.hasOwnProperty.call(m, "accepted") && m.accepted !== 0)
                    w.uint32(/* id 3, wireType 0 =*/24).uint32(m.accepted);
                if (m.rejected != null && $Object.hasOwnProperty.call(m, "rejected") && m.rejected !== 0)
                    w.uint32(/* id 4, wireType 0 =*/32).uint32(m.rejected);
                if (m.rejections != null && m.rejections.length) {
                    for (var i = 0; i < m.rejections.length; ++i)
                        $root.canopy.v1.Rejection.encode(m.rejections[i], w.uint32(/* id 5, wireType 2 =*/42).fork(), q + 1).ldelim();
                }
                if (m.message != null && $Object.hasOwnProperty.call(m, "message") && m.message !== "")
                    w.uint32(/* id 6, wireType 2 =*/50).string(m.message);
                if (m.duplicate != null && $Object.hasOwnProperty.call(m, "duplicate") && m.duplicate !== false)
                    w.uint32(/* id 7, wireType 0 =*/56).bool(m.duplicate);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes an Ack message from the specified reader or buffer.
             * @function decode
             * @memberof canopy.v1.Ack
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {canopy.v1.Ack & canopy.v1.Ack.$Shape} Ack
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Ack.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.canopy.v1.Ack();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.batchId = v;
                            else
                                delete m.batchId;
                            continue;
                        }
                    case 2: {
                            if (u !== 0)
                                break;
                            if (v = r.int32())
                                m.status = v;
                            else
                                delete m.status;
                            continue;
                        }
                    case 3: {
                            if (u !== 0)
                                break;
                            if (v = r.uint32())
                                m.accepted = v;
                            else
                                delete m.accepted;
                            continue;
                        }
                    case 4: {
                            if (u !== 0)
                                break;
                            if (v = r.uint32())
                                m.rejected = v;
                            else
                                delete m.rejected;
                            continue;
                        }
                    case 5: {
                            if (u !== 2)
                                break;
                            if (!(m.rejections && m.rejections.length))
                                m.rejections = [];
                            m.rejections.push($root.canopy.v1.Rejection.decode(r, r.size(), $undefined, q + 1));
                            continue;
                        }
                    case 6: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.message = v;
                            else
                                delete m.message;
                            continue;
                        }
                    case 7: {
                            if (u !== 0)
                                break;
                            if (v = r.bool())
                                m.duplicate = v;
                            else
                                delete m.duplicate;
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            /**
             * Status enum.
             * @name canopy.v1.Ack.Status
             * @enum {number}
             * @property {number} OK=0 OK value
             * @property {number} PARTIAL=1 PARTIAL value
             * @property {number} REJECTED=2 REJECTED value
             * @property {number} RETRY=3 RETRY value
             */
            Ack.Status = (function() {
                const valuesById = $Object.create(null), values = $Object.create(valuesById);
                values[valuesById[0] = "OK"] = 0;
                values[valuesById[1] = "PARTIAL"] = 1;
                values[valuesById[2] = "REJECTED"] = 2;
                values[valuesById[3] = "RETRY"] = 3;
                return values;
            })();

            return Ack;
        })();

        v1.Label = (function() {

            /**
             * Properties of a Label.
             * @typedef {Object} canopy.v1.Label.$Properties
             * @property {string|null} [name] Label name
             * @property {string|null} [value] Label value
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Label.
             * @memberof canopy.v1
             * @interface ILabel
             * @augments canopy.v1.Label.$Properties
             * @deprecated Use canopy.v1.Label.$Properties instead.
             */

            /**
             * Shape of a Label.
             * @typedef {canopy.v1.Label.$Properties} canopy.v1.Label.$Shape
             */

            /**
             * Constructs a new Label.
             * @memberof canopy.v1
             * @classdesc Represents a Label.
             * @constructor
             * @param {canopy.v1.Label.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Label = function (p) {
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * Label name.
             * @member {string} name
             * @memberof canopy.v1.Label
             * @instance
             */
            Label.prototype.name = "";

            /**
             * Label value.
             * @member {string} value
             * @memberof canopy.v1.Label
             * @instance
             */
            Label.prototype.value = "";

            /**
             * Creates a new Label instance using the specified properties.
             * @function create
             * @memberof canopy.v1.Label
             * @static
             * @param {canopy.v1.Label.$Properties=} [properties] Properties to set
             * @returns {canopy.v1.Label} Label instance
             * @type {{
             *   (properties: canopy.v1.Label.$Shape): canopy.v1.Label & canopy.v1.Label.$Shape;
             *   (properties?: canopy.v1.Label.$Properties): canopy.v1.Label;
             * }}
             */
            Label.create = function(properties) {
                return new Label(properties);
            };

            /**
             * Encodes the specified Label message. Does not implicitly {@link canopy.v1.Label.verify|verify} messages.
             * @function encode
             * @memberof canopy.v1.Label
             * @static
             * @param {canopy.v1.Label.$Properties} m Label message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Label.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.name != null && $Object.hasOwnProperty.call(m, "name") && m.name !== "")
                    w.uint32(/* id 1, wireType 2 =*/10).string(m.name);
                if (m.value != null && $Object.hasOwnProperty.call(m, "value") && m.value !== "")
                    w.uint32(/* id 2, wireType 2 =*/18).string(m.value);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes a Label message from the specified reader or buffer.
             * @function decode
             * @memberof canopy.v1.Label
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {canopy.v1.Label & canopy.v1.Label.$Shape} Label
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Label.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.canopy.v1.Label();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.name = v;
                            else
                                delete m.name;
                            continue;
                        }
                    case 2: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.value = v;
                            else
                                delete m.value;
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            return Label;
        })();

        v1.Distribution = (function() {

            /**
             * Properties of a Distribution.
             * @typedef {Object} canopy.v1.Distribution.$Properties
             * @property {number|null} [count] Distribution count
             * @property {number|null} [sum] Distribution sum
             * @property {number|null} [min] Distribution min
             * @property {number|null} [max] Distribution max
             * @property {Array.<number>|null} [means] Distribution means
             * @property {Array.<number>|null} [weights] Distribution weights
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Distribution.
             * @memberof canopy.v1
             * @interface IDistribution
             * @augments canopy.v1.Distribution.$Properties
             * @deprecated Use canopy.v1.Distribution.$Properties instead.
             */

            /**
             * Shape of a Distribution.
             * @typedef {canopy.v1.Distribution.$Properties} canopy.v1.Distribution.$Shape
             */

            /**
             * Constructs a new Distribution.
             * @memberof canopy.v1
             * @classdesc Represents a Distribution.
             * @constructor
             * @param {canopy.v1.Distribution.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Distribution = function (p) {
                this.means = [];
                this.weights = [];
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * Distribution count.
             * @member {number} count
             * @memberof canopy.v1.Distribution
             * @instance
             */
            Distribution.prototype.count = 0;

            /**
             * Distribution sum.
             * @member {number} sum
             * @memberof canopy.v1.Distribution
             * @instance
             */
            Distribution.prototype.sum = 0;

            /**
             * Distribution min.
             * @member {number} min
             * @memberof canopy.v1.Distribution
             * @instance
             */
            Distribution.prototype.min = 0;

            /**
             * Distribution max.
             * @member {number} max
             * @memberof canopy.v1.Distribution
             * @instance
             */
            Distribution.prototype.max = 0;

            /**
             * Distribution means.
             * @member {Array.<number>} means
             * @memberof canopy.v1.Distribution
             * @instance
             */
            Distribution.prototype.means = $util.emptyArray;

            /**
             * Distribution weights.
             * @member {Array.<number>} weights
             * @memberof canopy.v1.Distribution
             * @instance
             */
            Distribution.prototype.weights = $util.emptyArray;

            /**
             * Creates a new Distribution instance using the specified properties.
             * @function create
             * @memberof canopy.v1.Distribution
             * @static
             * @param {canopy.v1.Distribution.$Properties=} [properties] Properties to set
             * @returns {canopy.v1.Distribution} Distribution instance
             * @type {{
             *   (properties: canopy.v1.Distribution.$Shape): canopy.v1.Distribution & canopy.v1.Distribution.$Shape;
             *   (properties?: canopy.v1.Distribution.$Properties): canopy.v1.Distribution;
             * }}
             */
            Distribution.create = function(properties) {
                return new Distribution(properties);
            };

            /**
             * Encodes the specified Distribution message. Does not implicitly {@link canopy.v1.Distribution.verify|verify} messages.
             * @function encode
             * @memberof canopy.v1.Distribution
             * @static
             * @param {canopy.v1.Distribution.$Properties} m Distribution message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Distribution.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.count != null && $Object.hasOwnProperty.call(m, "count") && !$Object.is(m.count, 0))
                    w.uint32(/* id 1, wireType 1 =*/9).double(m.count);
                if (m.sum != null && $Object.hasOwnProperty.call(m, "sum") && !$Object.is(m.sum, 0))
                    w.uint32(/* id 2, wireType 1 =*/17).double(m.sum);
                if (m.min != null && $Object.hasOwnProperty.call(m, "min") && !$Object.is(m.min, 0))
                    w.uint32(/* id 3, wireType 1 =*/25).double(m.min);
                if (m.max != null && $Object.hasOwnProperty.call(m, "max") && !$Object.is(m.max, 0))
                    w.uint32(/* id 4, wireType 1 =*/33).double(m.max);
                if (m.means != null && m.means.length) {
                    w.uint32(/* id 5, wireType 2 =*/42).doubles(m.means);
                }
                if (m.weights != null && m.weights.length) {
                    w.uint32(/* id 6, wireType 2 =*/50).doubles(m.weights);
                }
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes a Distribution message from the specified reader or buffer.
             * @function decode
             * @memberof canopy.v1.Distribution
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {canopy.v1.Distribution & canopy.v1.Distribution.$Shape} Distribution
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Distribution.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.canopy.v1.Distribution();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 1)
                                break;
                            if (!$Object.is(v = r.double(), 0))
                                m.count = v;
                            else
                                delete m.count;
                            continue;
                        }
                    case 2: {
                            if (u !== 1)
                                break;
                            if (!$Object.is(v = r.double(), 0))
                                m.sum = v;
                            else
                                delete m.sum;
                            continue;
                        }
                    case 3: {
                            if (u !== 1)
                                break;
                            if (!$Object.is(v = r.double(), 0))
                                m.min = v;
                            else
                                delete m.min;
                            continue;
                        }
                    case 4: {
                            if (u !== 1)
                                break;
                            if (!$Object.is(v = r.double(), 0))
                                m.max = v;
                            else
                                delete m.max;
                            continue;
                        }
                    case 5: {
                            if (u === 2) {
                                if (!(m.means && m.means.length))
                                    m.means = [];
                                r.doubles(m.means);
                                continue;
                            }
                            if (u !== 1)
                                break;
                            if (!(m.means && m.means.length))
                                m.means = [];
                            m.means.push(r.double());
                            continue;
                        }
                    case 6: {
                            if (u === 2) {
                                if (!(m.weights && m.weights.length))
                                    m.weights = [];
                                r.doubles(m.weights);
                                continue;
                            }
                            if (u !== 1)
                                break;
                            if (!(m.weights && m.weights.length))
                                m.weights = [];
                            m.weights.push(r.double());
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            return Distribution;
        })();

        v1.DistributionSample = (function() {

            /**
             * Properties of a DistributionSample.
             * @typedef {Object} canopy.v1.DistributionSample.$Properties
             * @property {number|null} [timestampMs] DistributionSample timestampMs
             * @property {canopy.v1.Distribution.$Properties|null} [value] DistributionSample value
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a DistributionSample.
             * @memberof canopy.v1
             * @interface IDistributionSample
             * @augments canopy.v1.DistributionSample.$Properties
             * @deprecated Use canopy.v1.DistributionSample.$Properties instead.
             */

            /**
             * Shape of a DistributionSample.
             * @typedef {canopy.v1.DistributionSample.$Properties} canopy.v1.DistributionSample.$Shape
             */

            /**
             * Constructs a new DistributionSample.
             * @memberof canopy.v1
             * @classdesc Represents a DistributionSample.
             * @constructor
             * @param {canopy.v1.DistributionSample.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const DistributionSample = function (p) {
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * DistributionSample timestampMs.
             * @member {number} timestampMs
             * @memberof canopy.v1.DistributionSample
             * @instance
             */
            DistributionSample.prototype.timestampMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * DistributionSample value.
             * @member {canopy.v1.Distribution.$Properties|null|undefined} value
             * @memberof canopy.v1.DistributionSample
             * @instance
             */
            DistributionSample.prototype.value = null;

            /**
             * Creates a new DistributionSample instance using the specified properties.
             * @function create
             * @memberof canopy.v1.DistributionSample
             * @static
             * @param {canopy.v1.DistributionSample.$Properties=} [properties] Properties to set
             * @returns {canopy.v1.DistributionSample} DistributionSample instance
             * @type {{
             *   (properties: canopy.v1.DistributionSample.$Shape): canopy.v1.DistributionSample & canopy.v1.DistributionSample.$Shape;
             *   (properties?: canopy.v1.DistributionSample.$Properties): canopy.v1.DistributionSample;
             * }}
             */
            DistributionSample.create = function(properties) {
                return new DistributionSample(properties);
            };

            /**
             * Encodes the specified DistributionSample message. Does not implicitly {@link canopy.v1.DistributionSample.verify|verify} messages.
             * @function encode
             * @memberof canopy.v1.DistributionSample
             * @static
             * @param {canopy.v1.DistributionSample.$Properties} m DistributionSample message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            DistributionSample.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.timestampMs != null && $Object.hasOwnProperty.call(m, "timestampMs") && (typeof m.timestampMs === "object" ? m.timestampMs.low || m.timestampMs.high : m.timestampMs !== 0))
                    w.uint32(/* id 1, wireType 0 =*/8).int64(m.timestampMs);
                if (m.value != null && $Object.hasOwnProperty.call(m, "value"))
                    $root.canopy.v1.Distribution.encode(m.value, w.uint32(/* id 2, wireType 2 =*/18).fork(), q + 1).ldelim();
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes a DistributionSample message from the specified reader or buffer.
             * @function decode
             * @memberof canopy.v1.DistributionSample
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {canopy.v1.DistributionSample & canopy.v1.DistributionSample.$Shape} DistributionSample
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            DistributionSample.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.canopy.v1.DistributionSample();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.int64()) === "object" ? v.low || v.high : v !== 0)
                                m.timestampMs = v;
                            else
                                delete m.timestampMs;
                            continue;
                        }
                    case 2: {
                            if (u !== 2)
                                break;
                            m.value = $root.canopy.v1.Distribution.decode(r, r.size(), $undefined, q + 1, m.value);
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            return DistributionSample;
        })();

        v1.Series = (function() {

            /**
             * Properties of a Series.
             * @typedef {Object} canopy.v1.Series.$Properties
             * @property {Array.<canopy.v1.Label.$Properties>|null} [labels] Series labels
             * @property {Array.<number>|null} [timestampsMs] Series timestampsMs
             * @property {Array.<number>|null} [values] Series values
             * @property {Array.<canopy.v1.DistributionSample.$Properties>|null} [distributions] Series distributions
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Series.
             * @memberof canopy.v1
             * @interface ISeries
             * @augments canopy.v1.Series.$Properties
             * @deprecated Use canopy.v1.Series.$Properties instead.
             */

            /**
             * Shape of a Series.
             * @typedef {canopy.v1.Series.$Properties} canopy.v1.Series.$Shape
             */

            /**
             * Constructs a new Series.
             * @memberof canopy.v1
             * @classdesc Represents a Series.
             * @constructor
             * @param {canopy.v1.Series.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Series = function (p) {
                this.labels = [];
                this.timestampsMs = [];
                this.values = [];
                this.distributions = [];
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * Series labels.
             * @member {Array.<canopy.v1.Label.$Properties>} labels
             * @memberof canopy.v1.Series
             * @instance
             */
            Series.prototype.labels = $util.emptyArray;

            /**
             * Series timestampsMs.
             * @member {Array.<number>} timestampsMs
             * @memberof canopy.v1.Series
             * @instance
             */
            Series.prototype.timestampsMs = $util.emptyArray;

            /**
             * Series values.
             * @member {Array.<number>} values
             * @memberof canopy.v1.Series
             * @instance
             */
            Series.prototype.values = $util.emptyArray;

            /**
             * Series distributions.
             * @member {Array.<canopy.v1.DistributionSample.$Properties>} distributions
             * @memberof canopy.v1.Series
             * @instance
             */
            Series.prototype.distributions = $util.emptyArray;

            /**
             * Creates a new Series instance using the specified properties.
             * @function create
             * @memberof canopy.v1.Series
             * @static
             * @param {canopy.v1.Series.$Properties=} [properties] Properties to set
             * @returns {canopy.v1.Series} Series instance
             * @type {{
             *   (properties: canopy.v1.Series.$Shape): canopy.v1.Series & canopy.v1.Series.$Shape;
             *   (properties?: canopy.v1.Series.$Properties): canopy.v1.Series;
             * }}
             */
            Series.create = function(properties) {
                return new Series(properties);
            };

            /**
             * Encodes the specified Series message. Does not implicitly {@link canopy.v1.Series.verify|verify} messages.
             * @function encode
             * @memberof canopy.v1.Series
             * @static
             * @param {canopy.v1.Series.$Properties} m Series message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Series.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.labels != null && m.labels.length) {
                    for (var i = 0; i < m.labels.length; ++i)
                        $root.canopy.v1.Label.encode(m.labels[i], w.uint32(/* id 1, wireType 2 =*/10).fork(), q + 1).ldelim();
                }
                if (m.timestampsMs != null && m.timestampsMs.length) {
                    w.uint32(/* id 2, wireType 2 =*/18).int64s(m.timestampsMs);
                }
                if (m.values != null && m.values.length) {
                    w.uint32(/* id 3, wireType 2 =*/26).doubles(m.values);
                }
                if (m.distributions != null && m.distributions.length) {
                    for (var i = 0; i < m.distributions.length; ++i)
                        $root.canopy.v1.DistributionSample.encode(m.distributions[i], w.uint32(/* id 4, wireType 2 =*/34).fork(), q + 1).ldelim();
                }
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes a Series message from the specified reader or buffer.
             * @function decode
             * @memberof canopy.v1.Series
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {canopy.v1.Series & canopy.v1.Series.$Shape} Series
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Series.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.canopy.v1.Series();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 2)
                                break;
                            if (!(m.labels && m.labels.length))
                                m.labels = [];
                            m.labels.push($root.canopy.v1.Label.decode(r, r.size(), $undefined, q + 1));
                            continue;
                        }
                    case 2: {
                            if (u === 2) {
                                if (!(m.timestampsMs && m.timestampsMs.length))
                                    m.timestampsMs = [];
                                r.int64s(m.timestampsMs);
                                continue;
                            }
                            if (u !== 0)
                                break;
                            if (!(m.timestampsMs && m.timestampsMs.length))
                                m.timestampsMs = [];
                            m.timestampsMs.push(r.int64());
                            continue;
                        }
                    case 3: {
                            if (u === 2) {
                                if (!(m.values && m.values.length))
                                    m.values = [];
                                r.doubles(m.values);
                                continue;
                            }
                            if (u !== 1)
                                break;
                            if (!(m.values && m.values.length))
                                m.values = [];
                            m.values.push(r.double());
                            continue;
                        }
                    case 4: {
                            if (u !== 2)
                                break;
                            if (!(m.distributions && m.distributions.length))
                                m.distributions = [];
                            m.distributions.push($root.canopy.v1.DistributionSample.decode(r, r.size(), $undefined, q + 1));
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            return Series;
        })();

        v1.MetricMetadata = (function() {

            /**
             * Properties of a MetricMetadata.
             * @typedef {Object} canopy.v1.MetricMetadata.$Properties
             * @property {string|null} [metric] MetricMetadata metric
             * @property {string|null} [type] MetricMetadata type
             * @property {string|null} [help] MetricMetadata help
             * @property {string|null} [unit] MetricMetadata unit
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a MetricMetadata.
             * @memberof canopy.v1
             * @interface IMetricMetadata
             * @augments canopy.v1.MetricMetadata.$Properties
             * @deprecated Use canopy.v1.MetricMetadata.$Properties instead.
             */

            /**
             * Shape of a MetricMetadata.
             * @typedef {canopy.v1.MetricMetadata.$Properties} canopy.v1.MetricMetadata.$Shape
             */

            /**
             * Constructs a new MetricMetadata.
             * @memberof canopy.v1
             * @classdesc Represents a MetricMetadata.
             * @constructor
             * @param {canopy.v1.MetricMetadata.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const MetricMetadata = function (p) {
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * MetricMetadata metric.
             * @member {string} metric
             * @memberof canopy.v1.MetricMetadata
             * @instance
             */
            MetricMetadata.prototype.metric = "";

            /**
             * MetricMetadata type.
             * @member {string} type
             * @memberof canopy.v1.MetricMetadata
             * @instance
             */
            MetricMetadata.prototype.type = "";

            /**
             * MetricMetadata help.
             * @member {string} help
             * @memberof canopy.v1.MetricMetadata
             * @instance
             */
            MetricMetadata.prototype.help = "";

            /**
             * MetricMetadata unit.
             * @member {string} unit
             * @memberof canopy.v1.MetricMetadata
             * @instance
             */
            MetricMetadata.prototype.unit = "";

            /**
             * Creates a new MetricMetadata instance using the specified properties.
             * @function create
             * @memberof canopy.v1.MetricMetadata
             * @static
             * @param {canopy.v1.MetricMetadata.$Properties=} [properties] Properties to set
             * @returns {canopy.v1.MetricMetadata} MetricMetadata instance
             * @type {{
             *   (properties: canopy.v1.MetricMetadata.$Shape): canopy.v1.MetricMetadata & canopy.v1.MetricMetadata.$Shape;
             *   (properties?: canopy.v1.MetricMetadata.$Properties): canopy.v1.MetricMetadata;
             * }}
             */
            MetricMetadata.create = function(properties) {
                return new MetricMetadata(properties);
            };

            /**
             * Encodes the specified MetricMetadata message. Does not implicitly {@link canopy.v1.MetricMetadata.verify|verify} messages.
             * @function encode
             * @memberof canopy.v1.MetricMetadata
             * @static
             * @param {canopy.v1.MetricMetadata.$Properties} m MetricMetadata message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            MetricMetadata.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.metric != null && $Object.hasOwnProperty.call(m, "metric") && m.metric !== "")
                    w.uint32(/* id 1, wireType 2 =*/10).string(m.metric);
                if (m.type != null && $Object.hasOwnProperty.call(m, "type") && m.type !== "")
                    w.uint32(/* id 2, wireType 2 =*/18).string(m.type);
                if (m.help != null && $Object.hasOwnProperty.call(m, "help") && m.help !== "")
                    w.uint32(/* id 3, wireType 2 =*/26).string(m.help);
                if (m.unit != null && $Object.hasOwnProperty.call(m, "unit") && m.unit !== "")
                    w.uint32(/* id 4, wireType 2 =*/34).string(m.unit);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes a MetricMetadata message from the specified reader or buffer.
             * @function decode
             * @memberof canopy.v1.MetricMetadata
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {canopy.v1.MetricMetadata & canopy.v1.MetricMetadata.$Shape} MetricMetadata
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            MetricMetadata.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.canopy.v1.MetricMetadata();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.metric = v;
                            else
                                delete m.metric;
                            continue;
                        }
                    case 2: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.type = v;
                            else
                                delete m.type;
                            continue;
                        }
                    case 3: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.help = v;
                            else
                                delete m.help;
                            continue;
                        }
                    case 4: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.unit = v;
                            else
                                delete m.unit;
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            return MetricMetadata;
        })();

        v1.QueryRequest = (function() {

            /**
             * Properties of a QueryRequest.
             * @typedef {Object} canopy.v1.QueryRequest.$Properties
             * @property {string|null} [queryId] QueryRequest queryId
             * @property {string|null} [expr] QueryRequest expr
             * @property {boolean|null} [range] QueryRequest range
             * @property {number|null} [timeMs] QueryRequest timeMs
             * @property {number|null} [startMs] QueryRequest startMs
             * @property {number|null} [endMs] QueryRequest endMs
             * @property {number|null} [stepMs] QueryRequest stepMs
             * @property {number|null} [timeoutMs] QueryRequest timeoutMs
             * @property {canopy.v1.AggregateSpec.$Properties|null} [aggregate] QueryRequest aggregate
             * @property {Array.<string>|null} [select] QueryRequest select
             * @property {string|null} [maxSourceResolution] QueryRequest maxSourceResolution
             * @property {string|null} [tenant] QueryRequest tenant
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a QueryRequest.
             * @memberof canopy.v1
             * @interface IQueryRequest
             * @augments canopy.v1.QueryRequest.$Properties
             * @deprecated Use canopy.v1.QueryRequest.$Properties instead.
             */

            /**
             * Shape of a QueryRequest.
             * @typedef {canopy.v1.QueryRequest.$Properties} canopy.v1.QueryRequest.$Shape
             */

            /**
             * Constructs a new QueryRequest.
             * @memberof canopy.v1
             * @classdesc Represents a QueryRequest.
             * @constructor
             * @param {canopy.v1.QueryRequest.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const QueryRequest = function (p) {
                this.select = [];
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * QueryRequest queryId.
             * @member {string} queryId
             * @memberof canopy.v1.QueryRequest
             * @instance
             */
            QueryRequest.prototype.queryId = "";

            /**
             * QueryRequest expr.
             * @member {string} expr
             * @memberof canopy.v1.QueryRequest
             * @instance
             */
            QueryRequest.prototype.expr = "";

            /**
             * QueryRequest range.
             * @member {boolean} range
             * @memberof canopy.v1.QueryRequest
             * @instance
             */
            QueryRequest.prototype.range = false;

            /**
             * QueryRequest timeMs.
             * @member {number} timeMs
             * @memberof canopy.v1.QueryRequest
             * @instance
             */
            QueryRequest.prototype.timeMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * QueryRequest startMs.
             * @member {number} startMs
             * @memberof canopy.v1.QueryRequest
             * @instance
             */
            QueryRequest.prototype.startMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * QueryRequest endMs.
             * @member {number} endMs
             * @memberof canopy.v1.QueryRequest
             * @instance
             */
            QueryRequest.prototype.endMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * QueryRequest stepMs.
             * @member {number} stepMs
             * @memberof canopy.v1.QueryRequest
             * @instance
             */
            QueryRequest.prototype.stepMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * QueryRequest timeoutMs.
             * @member {number} timeoutMs
             * @memberof canopy.v1.QueryRequest
             * @instance
             */
            QueryRequest.prototype.timeoutMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * QueryRequest aggregate.
             * @member {canopy.v1.AggregateSpec.$Properties|null|undefined} aggregate
             * @memberof canopy.v1.QueryRequest
             * @instance
             */
            QueryRequest.prototype.aggregate = null;

            /**
             * QueryRequest select.
             * @member {Array.<string>} select
             * @memberof canopy.v1.QueryRequest
             * @instance
             */
            QueryRequest.prototype.select = $util.emptyArray;

            /**
             * QueryRequest maxSourceResolution.
             * @member {string} maxSourceResolution
             * @memberof canopy.v1.QueryRequest
             * @instance
             */
            QueryRequest.prototype.maxSourceResolution = "";

            /**
             * QueryRequest tenant.
             * @member {string} tenant
             * @memberof canopy.v1.QueryRequest
             * @instance
             */
            QueryRequest.prototype.tenant = "";

            /**
             * Creates a new QueryRequest instance using the specified properties.
             * @function create
             * @memberof canopy.v1.QueryRequest
             * @static
             * @param {canopy.v1.QueryRequest.$Properties=} [properties] Properties to set
             * @returns {canopy.v1.QueryRequest} QueryRequest instance
             * @type {{
             *   (properties: canopy.v1.QueryRequest.$Shape): canopy.v1.QueryRequest & canopy.v1.QueryRequest.$Shape;
             *   (properties?: canopy.v1.QueryRequest.$Properties): canopy.v1.QueryRequest;
             * }}
             */
            QueryRequest.create = function(properties) {
                return new QueryRequest(properties);
            };

            /**
             * Encodes the specified QueryRequest message. Does not implicitly {@link canopy.v1.QueryRequest.verify|verify} messages.
             * @function encode
             * @memberof canopy.v1.QueryRequest
             * @static
             * @param {canopy.v1.QueryRequest.$Properties} m QueryRequest message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            QueryRequest.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.queryId != null && $Object.hasOwnProperty.call(m, "queryId") && m.queryId !== "")
                    w.uint32(/* id 1, wireType 2 =*/10).string(m.queryId);
                if (m.expr != null && $Object.hasOwnProperty.call(m, "expr") && m.expr !== "")
                    w.uint32(/* id 2, wireType 2 =*/18).string(m.expr);
                if (m.range != null && $Object.hasOwnProperty.call(m, "range") && m.range !== false)
                    w.uint32(/* id 3, wireType 0 =*/24).bool(m.range);
                if (m.timeMs != null && $Object.hasOwnProperty.call(m, "timeMs") && (typeof m.timeMs === "object" ? m.timeMs.low || m.timeMs.high : m.timeMs !== 0))
                    w.uint32(/* id 4, wireType 0 =*/32).int64(m.timeMs);
                if (m.startMs != null && $Object.hasOwnProperty.call(m, "startMs") && (typeof m.startMs === "object" ? m.startMs.low || m.startMs.high : m.startMs !== 0))
                    w.uint32(/* id 5, wireType 0 =*/40).int64(m.startMs);
                if (m.endMs != null && $Object.hasOwnProperty.call(m, "endMs") && (typeof m.endMs === "object" ? m.endMs.low || m.endMs.high : m.endMs !== 0))
                    w.uint32(/* id 6, wireType 0 =*/48).int64(m.endMs);
                if (m.stepMs != null && $Object.hasOwnProperty.call(m, "stepMs") && (typeof m.stepMs === "object" ? m.stepMs.low || m.stepMs.high : m.stepMs !== 0))
                    w.uint32(/* id 7, wireType 0 =*/56).int64(m.stepMs);
                if (m.timeoutMs != null && $Object.hasOwnProperty.call(m, "timeoutMs") && (typeof m.timeoutMs === "object" ? m.timeoutMs.low || m.timeoutMs.high : m.timeoutMs !== 0))
                    w.uint32(/* id 8, wireType 0 =*/64).int64(m.timeoutMs);
                if (m.aggregate != null && $Object.hasOwnProperty.call(m, "aggregate"))
                    $root.canopy.v1.AggregateSpec.encode(m.aggregate, w.uint32(/* id 9, wireType 2 =*/74).fork(), q + 1).ldelim();
                if (m.select != null && m.select.length) {
                    for (var i = 0; i < m.select.length; ++i)
                        w.uint32(/* id 10, wireType 2 =*/82).string(m.select[i]);
                }
                if (m.maxSourceResolution != null && $Object.hasOwnProperty.call(m, "maxSourceResolution") && m.maxSourceResolution !== "")
                    w.uint32(/* id 11, wireType 2 =*/90).string(m.maxSourceResolution);
                if (m.tenant != null && $Object.hasOwnProperty.call(m, "tenant") && m.tenant !== "")
                    w.uint32(/* id 20, wireType 2 =*/162).string(m.tenant);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes a QueryRequest message from the specified reader or buffer.
             * @function decode
             * @memberof canopy.v1.QueryRequest
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {canopy.v1.QueryRequest & canopy.v1.QueryRequest.$Shape} QueryRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            QueryRequest.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.canopy.v1.QueryRequest();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.queryId = v;
                            else
                                delete m.queryId;
                            continue;
                        }
                    case 2: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.expr = v;
                            else
                                delete m.expr;
                            continue;
                        }
                    case 3: {
                            if (u !== 0)
                                break;
                            if (v = r.bool())
                                m.range = v;
                            else
                                delete m.range;
                            continue;
                        }
                    case 4: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.int64()) === "object" ? v.low || v.high : v !== 0)
                                m.timeMs = v;
                            else
                                delete m.timeMs;
                            continue;
                        }
                    case 5: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.int64()) === "object" ? v.low || v.high : v !== 0)
                                m.startMs = v;
                            else
                                delete m.startMs;
                            continue;
                        }
                    case 6: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.int64()) === "object" ? v.low || v.high : v !== 0)
                                m.endMs = v;
                            else
                                delete m.endMs;
                            continue;
                        }
                    case 7: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.int64()) === "object" ? v.low || v.high : v !== 0)
                                m.stepMs = v;
                            else
                                delete m.stepMs;
                            continue;
                        }
                    case 8: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.int64()) === "object" ? v.low || v.high : v !== 0)
                                m.timeoutMs = v;
                            else
                                delete m.timeoutMs;
                            continue;
                        }
                    case 9: {
                            if (u !== 2)
                                break;
                            m.aggregate = $root.canopy.v1.AggregateSpec.decode(r, r.size(), $undefined, q + 1, m.aggregate);
                            continue;
                        }
                    case 10: {
                            if (u !== 2)
                                break;
                            if (!(m.select && m.select.length))
                                m.select = [];
                            m.select.push(r.stringVerify());
                            continue;
                        }
                    case 11: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.maxSourceResolution = v;
                            else
                                delete m.maxSourceResolution;
                            continue;
                        }
                    case 20: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.tenant = v;
                            else
                                delete m.tenant;
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            return QueryRequest;
        })();

        v1.AggregateSpec = (function() {

            /**
             * Properties of an AggregateSpec.
             * @typedef {Object} canopy.v1.AggregateSpec.$Properties
             * @property {string|null} [op] AggregateSpec op
             * @property {Array.<string>|null} [grouping] AggregateSpec grouping
             * @property {boolean|null} [without] AggregateSpec without
             * @property {number|null} [param] AggregateSpec param
             * @property {string|null} [paramString] AggregateSpec paramString
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of an AggregateSpec.
             * @memberof canopy.v1
             * @interface IAggregateSpec
             * @augments canopy.v1.AggregateSpec.$Properties
             * @deprecated Use canopy.v1.AggregateSpec.$Properties instead.
             */

            /**
             * Shape of an AggregateSpec.
             * @typedef {canopy.v1.AggregateSpec.$Properties} canopy.v1.AggregateSpec.$Shape
             */

            /**
             * Constructs a new AggregateSpec.
             * @memberof canopy.v1
             * @classdesc Represents an AggregateSpec.
             * @constructor
             * @param {canopy.v1.AggregateSpec.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const AggregateSpec = function (p) {
                this.grouping = [];
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * AggregateSpec op.
             * @member {string} op
             * @memberof canopy.v1.AggregateSpec
             * @instance
             */
            AggregateSpec.prototype.op = "";

            /**
             * AggregateSpec grouping.
             * @member {Array.<string>} grouping
             * @memberof canopy.v1.AggregateSpec
             * @instance
             */
            AggregateSpec.prototype.grouping = $util.emptyArray;

            /**
             * AggregateSpec without.
             * @member {boolean} without
             * @memberof canopy.v1.AggregateSpec
             * @instance
             */
            AggregateSpec.prototype.without = false;

            /**
             * AggregateSpec param.
             * @member {number} param
             * @memberof canopy.v1.AggregateSpec
             * @instance
             */
            AggregateSpec.prototype.param = 0;

            /**
             * AggregateSpec paramString.
             * @member {string} paramString
             * @memberof canopy.v1.AggregateSpec
             * @instance
             */
            AggregateSpec.prototype.paramString = "";

            /**
             * Creates a new AggregateSpec instance using the specified properties.
             * @function create
             * @memberof canopy.v1.AggregateSpec
             * @static
             * @param {canopy.v1.AggregateSpec.$Properties=} [properties] Properties to set
             * @returns {canopy.v1.AggregateSpec} AggregateSpec instance
             * @type {{
             *   (properties: canopy.v1.AggregateSpec.$Shape): canopy.v1.AggregateSpec & canopy.v1.AggregateSpec.$Shape;
             *   (properties?: canopy.v1.AggregateSpec.$Properties): canopy.v1.AggregateSpec;
             * }}
             */
            AggregateSpec.create = function(properties) {
                return new AggregateSpec(properties);
            };

            /**
             * Encodes the specified AggregateSpec message. Does not implicitly {@link canopy.v1.AggregateSpec.verify|verify} messages.
             * @function encode
             * @memberof canopy.v1.AggregateSpec
             * @static
             * @param {canopy.v1.AggregateSpec.$Properties} m AggregateSpec message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            AggregateSpec.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.op != null && $Object.hasOwnProperty.call(m, "op") && m.op !== "")
                    w.uint32(/* id 1, wireType 2 =*/10).string(m.op);
                if (m.grouping != null && m.grouping.length) {
                    for (var i = 0; i < m.grouping.length; ++i)
                        w.uint32(/* id 2, wireType 2 =*/18).string(m.grouping[i]);
                }
                if (m.without != null && $Object.hasOwnProperty.call(m, "without") && m.without !== false)
                    w.uint32(/* id 3, wireType 0 =*/24).bool(m.without);
                if (m.param != null && $Object.hasOwnProperty.call(m, "param") && !$Object.is(m.param, 0))
                    w.uint32(/* id 4, wireType 1 =*/33).double(m.param);
                if (m.paramString != null && $Object.hasOwnProperty.call(m, "paramString") && m.paramString !== "")
                    w.uint32(/* id 5, wireType 2 =*/42).string(m.paramString);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes an AggregateSpec message from the specified reader or buffer.
             * @function decode
             * @memberof canopy.v1.AggregateSpec
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {canopy.v1.AggregateSpec & canopy.v1.AggregateSpec.$Shape} AggregateSpec
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            AggregateSpec.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.canopy.v1.AggregateSpec();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.op = v;
                            else
                                delete m.op;
                            continue;
                        }
                    case 2: {
                            if (u !== 2)
                                break;
                            if (!(m.grouping && m.grouping.length))
                                m.grouping = [];
                            m.grouping.push(r.stringVerify());
                            continue;
                        }
                    case 3: {
                            if (u !== 0)
                                break;
                            if (v = r.bool())
                                m.without = v;
                            else
                                delete m.without;
                            continue;
                        }
                    case 4: {
                            if (u !== 1)
                                break;
                            if (!$Object.is(v = r.double(), 0))
                                m.param = v;
                            else
                                delete m.param;
                            continue;
                        }
                    case 5: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.paramString = v;
                            else
                                delete m.paramString;
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            return AggregateSpec;
        })();

        v1.AggregateState = (function() {

            /**
             * Properties of an AggregateState.
             * @typedef {Object} canopy.v1.AggregateState.$Properties
             * @property {Array.<canopy.v1.Label.$Properties>|null} [group] AggregateState group
             * @property {number|null} [timestampMs] AggregateState timestampMs
             * @property {number|null} [sum] AggregateState sum
             * @property {number|null} [count] AggregateState count
             * @property {number|null} [min] AggregateState min
             * @property {number|null} [max] AggregateState max
             * @property {number|null} [mean] AggregateState mean
             * @property {number|null} [m2] AggregateState m2
             * @property {Array.<number>|null} [values] AggregateState values
             * @property {Array.<canopy.v1.Series.$Properties>|null} [members] AggregateState members
             * @property {canopy.v1.Distribution.$Properties|null} [digest] AggregateState digest
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of an AggregateState.
             * @memberof canopy.v1
             * @interface IAggregateState
             * @augments canopy.v1.AggregateState.$Properties
             * @deprecated Use canopy.v1.AggregateState.$Properties instead.
             */

            /**
             * Shape of an AggregateState.
             * @typedef {canopy.v1.AggregateState.$Properties} canopy.v1.AggregateState.$Shape
             */

            /**
             * Constructs a new AggregateState.
             * @memberof canopy.v1
             * @classdesc Represents an AggregateState.
             * @constructor
             * @param {canopy.v1.AggregateState.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const AggregateState = function (p) {
                this.group = [];
                this.values = [];
                this.members = [];
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * AggregateState group.
             * @member {Array.<canopy.v1.Label.$Properties>} group
             * @memberof canopy.v1.AggregateState
             * @instance
             */
            AggregateState.prototype.group = $util.emptyArray;

            /**
             * AggregateState timestampMs.
             * @member {number} timestampMs
             * @memberof canopy.v1.AggregateState
             * @instance
             */
            AggregateState.prototype.timestampMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * AggregateState sum.
             * @member {number} sum
             * @memberof canopy.v1.AggregateState
             * @instance
             */
            AggregateState.prototype.sum = 0;

            /**
             * AggregateState count.
             * @member {number} count
             * @memberof canopy.v1.AggregateState
             * @instance
             */
            AggregateState.prototype.count = 0;

            /**
             * AggregateState min.
             * @member {number} min
             * @memberof canopy.v1.AggregateState
             * @instance
             */
            AggregateState.prototype.min = 0;

            /**
             * AggregateState max.
             * @member {number} max
             * @memberof canopy.v1.AggregateState
             * @instance
             */
            AggregateState.prototype.max = 0;

            /**
             * AggregateState mean.
             * @member {number} mean
             * @memberof canopy.v1.AggregateState
             * @instance
             */
            AggregateState.prototype.mean = 0;

            /**
             * AggregateState m2.
             * @member {number} m2
             * @memberof canopy.v1.AggregateState
             * @instance
             */
            AggregateState.prototype.m2 = 0;

            /**
             * AggregateState values.
             * @member {Array.<number>} values
             * @memberof canopy.v1.AggregateState
             * @instance
             */
            AggregateState.prototype.values = $util.emptyArray;

            /**
             * AggregateState members.
             * @member {Array.<canopy.v1.Series.$Properties>} members
             * @memberof canopy.v1.AggregateState
             * @instance
             */
            AggregateState.prototype.members = $util.emptyArray;

            /**
             * AggregateState digest.
             * @member {canopy.v1.Distribution.$Properties|null|undefined} digest
             * @memberof canopy.v1.AggregateState
             * @instance
             */
            AggregateState.prototype.digest = null;

            /**
             * Creates a new AggregateState instance using the specified properties.
             * @function create
             * @memberof canopy.v1.AggregateState
             * @static
             * @param {canopy.v1.AggregateState.$Properties=} [properties] Properties to set
             * @returns {canopy.v1.AggregateState} AggregateState instance
             * @type {{
             *   (properties: canopy.v1.AggregateState.$Shape): canopy.v1.AggregateState & canopy.v1.AggregateState.$Shape;
             *   (properties?: canopy.v1.AggregateState.$Properties): canopy.v1.AggregateState;
             * }}
             */
            AggregateState.create = function(properties) {
                return new AggregateState(properties);
            };

            /**
             * Encodes the specified AggregateState message. Does not implicitly {@link canopy.v1.AggregateState.verify|verify} messages.
             * @function encode
             * @memberof canopy.v1.AggregateState
             * @static
             * @param {canopy.v1.AggregateState.$Properties} m AggregateState message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            AggregateState.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.group != null && m.group.length) {
                    for (var i = 0; i < m.group.length; ++i)
                        $root.canopy.v1.Label.encode(m.group[i], w.uint32(/* id 1, wireType 2 =*/10).fork(), q + 1).ldelim();
                }
                if (m.timestampMs != null && $Object.hasOwnProperty.call(m, "timestampMs") && (typeof m.timestampMs === "object" ? m.timestampMs.low || m.timestampMs.high : m.timestampMs !== 0))
                    w.uint32(/* id 2, wireType 0 =*/16).int64(m.timestampMs);
                if (m.sum != null && $Object.hasOwnProperty.call(m, "sum") && !$Object.is(m.sum, 0))
                    w.uint32(/* id 3, wireType 1 =*/25).double(m.sum);
                if (m.count != null && $Object.hasOwnProperty.call(m, "count") && !$Object.is(m.count, 0))
                    w.uint32(/* id 4, wireType 1 =*/33).double(m.count);
                if (m.min != null && $Object.hasOwnProperty.call(m, "min") && !$Object.is(m.min, 0))
                    w.uint32(/* id 5, wireType 1 =*/41).double(m.min);
                if (m.max != null && $Object.hasOwnProperty.call(m, "max") && !$Object.is(m.max, 0))
                    w.uint32(/* id 6, wireType 1 =*/49).double(m.max);
                if (m.mean != null && $Object.hasOwnProperty.call(m, "mean") && !$Object.is(m.mean, 0))
                    w.uint32(/* id 7, wireType 1 =*/57).double(m.mean);
                if (m.m2 != null && $Object.hasOwnProperty.call(m, "m2") && !$Object.is(m.m2, 0))
                    w.uint32(/* id 8, wireType 1 =*/65).double(m.m2);
                if (m.values != null && m.values.length) {
                    w.uint32(/* id 9, wireType 2 =*/74).doubles(m.values);
                }
                if (m.members != null && m.members.length) {
                    for (var i = 0; i < m.members.length; ++i)
                        $root.canopy.v1.Series.encode(m.members[i], w.uint32(/* id 10, wireType 2 =*/82).fork(), q + 1).ldelim();
                }
                if (m.digest != null && $Object.hasOwnProperty.call(m, "digest"))
                    $root.canopy.v1.Distribution.encode(m.digest, w.uint32(/* id 11, wireType 2 =*/90).fork(), q + 1).ldelim();
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes an AggregateState message from the specified reader or buffer.
             * @function decode
             * @memberof canopy.v1.AggregateState
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {canopy.v1.AggregateState & canopy.v1.AggregateState.$Shape} AggregateState
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            AggregateState.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.canopy.v1.AggregateState();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 2)
                                break;
                            if (!(m.group && m.group.length))
                                m.group = [];
                            m.group.push($root.canopy.v1.Label.decode(r, r.size(), $undefined, q + 1));
                            continue;
                        }
                    case 2: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.int64()) === "object" ? v.low || v.high : v !== 0)
                                m.timestampMs = v;
                            else
                                delete m.timestampMs;
                            continue;
                        }
                    case 3: {
                            if (u !== 1)
                                break;
                            if (!$Object.is(v = r.double(), 0))
                                m.sum = v;
                            else
                                delete m.sum;
                            continue;
                        }
                    case 4: {
                            if (u !== 1)
                                break;
                            if (!$Object.is(v = r.double(), 0))
                                m.count = v;
                            else
                                delete m.count;
                            continue;
                        }
                    case 5: {
                            if (u !== 1)
                                break;
                            if (!$Object.is(v = r.double(), 0))
                                m.min = v;
                            else
                                delete m.min;
                            continue;
                        }
                    case 6: {
                            if (u !== 1)
                                break;
                            if (!$Object.is(v = r.double(), 0))
                                m.max = v;
                            else
                                delete m.max;
                            continue;
                        }
                    case 7: {
                            if (u !== 1)
                                break;
                            if (!$Object.is(v = r.double(), 0))
                                m.mean = v;
                            else
                                delete m.mean;
                            continue;
                        }
                    case 8: {
                            if (u !== 1)
                                break;
                            if (!$Object.is(v = r.double(), 0))
                                m.m2 = v;
                            else
                                delete m.m2;
                            continue;
                        }
                    case 9: {
                            if (u === 2) {
                                if (!(m.values && m.values.length))
                                    m.values = [];
                                r.doubles(m.values);
                                continue;
                            }
                            if (u !== 1)
                                break;
                            if (!(m.values && m.values.length))
                                m.values = [];
                            m.values.push(r.double());
                            continue;
                        }
                    case 10: {
                            if (u !== 2)
                                break;
                            if (!(m.members && m.members.length))
                                m.members = [];
                            m.members.push($root.canopy.v1.Series.decode(r, r.size(), $undefined, q + 1));
                            continue;
                        }
                    case 11: {
                            if (u !== 2)
                                break;
                            m.digest = $root.canopy.v1.Distribution.decode(r, r.size(), $undefined, q + 1, m.digest);
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            return AggregateState;
        })();

        v1.QueryError = (function() {

            /**
             * Properties of a QueryError.
             * @typedef {Object} canopy.v1.QueryError.$Properties
             * @property {string|null} [code] QueryError code
             * @property {string|null} [message] QueryError message
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a QueryError.
             * @memberof canopy.v1
             * @interface IQueryError
             * @augments canopy.v1.QueryError.$Properties
             * @deprecated Use canopy.v1.QueryError.$Properties instead.
             */

            /**
             * Shape of a QueryError.
             * @typedef {canopy.v1.QueryError.$Properties} canopy.v1.QueryError.$Shape
             */

            /**
             * Constructs a new QueryError.
             * @memberof canopy.v1
             * @classdesc Represents a QueryError.
             * @constructor
             * @param {canopy.v1.QueryError.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const QueryError = function (p) {
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * QueryError code.
             * @member {string} code
             * @memberof canopy.v1.QueryError
             * @instance
             */
            QueryError.prototype.code = "";

            /**
             * QueryError message.
             * @member {string} message
             * @memberof canopy.v1.QueryError
             * @instance
             */
            QueryError.prototype.message = "";

            /**
             * Creates a new QueryError instance using the specified properties.
             * @function create
             * @memberof canopy.v1.QueryError
             * @static
             * @param {canopy.v1.QueryError.$Properties=} [properties] Properties to set
             * @returns {canopy.v1.QueryError} QueryError instance
             * @type {{
             *   (properties: canopy.v1.QueryError.$Shape): canopy.v1.QueryError & canopy.v1.QueryError.$Shape;
             *   (properties?: canopy.v1.QueryError.$Properties): canopy.v1.QueryError;
             * }}
             */
            QueryError.create = function(properties) {
                return new QueryError(properties);
            };

            /**
             * Encodes the specified QueryError message. Does not implicitly {@link canopy.v1.QueryError.verify|verify} messages.
             * @function encode
             * @memberof canopy.v1.QueryError
             * @static
             * @param {canopy.v1.QueryError.$Properties} m QueryError message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            QueryError.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.code != null && $Object.hasOwnProperty.call(m, "code") && m.code !== "")
                    w.uint32(/* id 1, wireType 2 =*/10).string(m.code);
                if (m.message != null && $Object.hasOwnProperty.call(m, "message") && m.message !== "")
                    w.uint32(/* id 2, wireType 2 =*/18).string(m.message);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes a QueryError message from the specified reader or buffer.
             * @function decode
             * @memberof canopy.v1.QueryError
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {canopy.v1.QueryError & canopy.v1.QueryError.$Shape} QueryError
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            QueryError.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.canopy.v1.QueryError();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.code = v;
                            else
                                delete m.code;
                            continue;
                        }
                    case 2: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.message = v;
                            else
                                delete m.message;
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            return QueryError;
        })();

        v1.PartialResult = (function() {

            /**
             * Properties of a PartialResult.
             * @typedef {Object} canopy.v1.PartialResult.$Properties
             * @property {string|null} [queryId] PartialResult queryId
             * @property {string|null} [zone] PartialResult zone
             * @property {string|null} [region] PartialResult region
             * @property {number|null} [chunkIndex] PartialResult chunkIndex
             * @property {boolean|null} [last] PartialResult last
             * @property {string|null} [resultType] PartialResult resultType
             * @property {Array.<canopy.v1.Series.$Properties>|null} [series] PartialResult series
             * @property {number|null} [scalar] PartialResult scalar
             * @property {string|null} [stringValue] PartialResult stringValue
             * @property {Array.<canopy.v1.AggregateState.$Properties>|null} [aggregates] PartialResult aggregates
             * @property {Array.<string>|null} [warnings] PartialResult warnings
             * @property {canopy.v1.QueryError.$Properties|null} [error] PartialResult error
             * @property {number|null} [samplesLoaded] PartialResult samplesLoaded
             * @property {string|null} [resolution] PartialResult resolution
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a PartialResult.
             * @memberof canopy.v1
             * @interface IPartialResult
             * @augments canopy.v1.PartialResult.$Properties
             * @deprecated Use canopy.v1.PartialResult.$Properties instead.
             */

            /**
             * Shape of a PartialResult.
             * @typedef {canopy.v1.PartialResult.$Properties} canopy.v1.PartialResult.$Shape
             */

            /**
             * Constructs a new PartialResult.
             * @memberof canopy.v1
             * @classdesc Represents a PartialResult.
             * @constructor
             * @param {canopy.v1.PartialResult.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const PartialResult = function (p) {
                this.series = [];
                this.aggregates = [];
                this.warnings = [];
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * PartialResult queryId.
             * @member {string} queryId
             * @memberof canopy.v1.PartialResult
             * @instance
             */
            PartialResult.prototype.queryId = "";

            /**
             * PartialResult zone.
             * @member {string} zone
             * @memberof canopy.v1.PartialResult
             * @instance
             */
            PartialResult.prototype.zone = "";

            /**
             * PartialResult region.
             * @member {string} region
             * @memberof canopy.v1.PartialResult
             * @instance
             */
            PartialResult.prototype.region = "";

            /**
             * PartialResult chunkIndex.
             * @member {number} chunkIndex
             * @memberof canopy.v1.PartialResult
             * @instance
             */
            PartialResult.prototype.chunkIndex = 0;

            /**
             * PartialResult last.
             * @member {boolean} last
             * @memberof canopy.v1.PartialResult
             * @instance
             */
            PartialResult.prototype.last = false;

            /**
             * PartialResult resultType.
             * @member {string} resultType
             * @memberof canopy.v1.PartialResult
             * @instance
             */
            PartialResult.prototype.resultType = "";

            /**
             * PartialResult series.
             * @member {Array.<canopy.v1.Series.$Properties>} series
             * @memberof canopy.v1.PartialResult
             * @instance
             */
            PartialResult.prototype.series = $util.emptyArray;

            /**
             * PartialResult scalar.
             * @member {number} scalar
             * @memberof canopy.v1.PartialResult
             * @instance
             */
            PartialResult.prototype.scalar = 0;

            /**
             * PartialResult stringValue.
             * @member {string} stringValue
             * @memberof canopy.v1.PartialResult
             * @instance
             */
            PartialResult.prototype.stringValue = "";

            /**
             * PartialResult aggregates.
             * @member {Array.<canopy.v1.AggregateState.$Properties>} aggregates
             * @memberof canopy.v1.PartialResult
             * @instance
             */
            PartialResult.prototype.aggregates = $util.emptyArray;

            /**
             * PartialResult warnings.
             * @member {Array.<string>} warnings
             * @memberof canopy.v1.PartialResult
             * @instance
             */
            PartialResult.prototype.warnings = $util.emptyArray;

            /**
             * PartialResult error.
             * @member {canopy.v1.QueryError.$Properties|null|undefined} error
             * @memberof canopy.v1.PartialResult
             * @instance
             */
            PartialResult.prototype.error = null;

            /**
             * PartialResult samplesLoaded.
             * @member {number} samplesLoaded
             * @memberof canopy.v1.PartialResult
             * @instance
             */
            PartialResult.prototype.samplesLoaded = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * PartialResult resolution.
             * @member {string} resolution
             * @memberof canopy.v1.PartialResult
             * @instance
             */
            PartialResult.prototype.resolution = "";

            /**
             * Creates a new PartialResult instance using the specified properties.
             * @function create
             * @memberof canopy.v1.PartialResult
             * @static
             * @param {canopy.v1.PartialResult.$Properties=} [properties] Properties to set
             * @returns {canopy.v1.PartialResult} PartialResult instance
             * @type {{
             *   (properties: canopy.v1.PartialResult.$Shape): canopy.v1.PartialResult & canopy.v1.PartialResult.$Shape;
             *   (properties?: canopy.v1.PartialResult.$Properties): canopy.v1.PartialResult;
             * }}
             */
            PartialResult.create = function(properties) {
                return new PartialResult(properties);
            };

            /**
             * Encodes the specified PartialResult message. Does not implicitly {@link canopy.v1.PartialResult.verify|verify} messages.
             * @function encode
             * @memberof canopy.v1.PartialResult
             * @static
             * @param {canopy.v1.PartialResult.$Properties} m PartialResult message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            PartialResult.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.queryId != null && $Object.hasOwnProperty.call(m, "queryId") && m.queryId !== "")
                    w.uint32(/* id 1, wireType 2 =*/10).string(m.queryId);
                if (m.zone != null && $Object.hasOwnProperty.call(m, "zone") && m.zone !== "")
                    w.uint32(/* id 2, wireType 2 =*/18).string(m.zone);
                if (m.region != null && $Object.hasOwnProperty.call(m, "region") && m.region !== "")
                    w.uint32(/* id 3, wireType 2 =*/26).string(m.region);
                if (m.chunkIndex != null && $Object.hasOwnProperty.call(m, "chunkIndex") && m.chunkIndex !== 0)
                    w.uint32(/* id 4, wireType 0 =*/32).uint32(m.chunkIndex);
                if (m.last != null && $Object.hasOwnProperty.call(m, "last") && m.last !== false)
                    w.uint32(/* id 5, wireType 0 =*/40).bool(m.last);
                if (m.resultType != null && $Object.hasOwnProperty.call(m, "resultType") && m.resultType !== "")
                    w.uint32(/* id 6, wireType 2 =*/50).string(m.resultType);
                if (m.series != null && m.series.length) {
                    for (var i = 0; i < m.series.length; ++i)
                        $root.canopy.v1.Series.encode(m.series[i], w.uint32(/* id 7, wireType 2 =*/58).fork(), q + 1).ldelim();
                }
                if (m.scalar != null && $Object.hasOwnProperty.call(m, "scalar") && !$Object.is(m.scalar, 0))
                    w.uint32(/* id 8, wireType 1 =*/65).double(m.scalar);
                if (m.stringValue != null && $Object.hasOwnProperty.call(m, "stringValue") && m.stringValue !== "")
                    w.uint32(/* id 9, wireType 2 =*/74).string(m.stringValue);
                if (m.aggregates != null && m.aggregates.length) {
                    for (var i = 0; i < m.aggregates.length; ++i)
                        $root.canopy.v1.AggregateState.encode(m.aggregates[i], w.uint32(/* id 10, wireType 2 =*/82).fork(), q + 1).ldelim();
                }
                if (m.warnings != null && m.warnings.length) {
                    for (var i = 0; i < m.warnings.length; ++i)
                        w.uint32(/* id 11, wireType 2 =*/90).string(m.warnings[i]);
                }
                if (m.error != null && $Object.hasOwnProperty.call(m, "error"))
                    $root.canopy.v1.QueryError.encode(m.error, w.uint32(/* id 12, wireType 2 =*/98).fork(), q + 1).ldelim();
                if (m.samplesLoaded != null && $Object.hasOwnProperty.call(m, "samplesLoaded") && (typeof m.samplesLoaded === "object" ? m.samplesLoaded.low || m.samplesLoaded.high : m.samplesLoaded !== 0))
                    w.uint32(/* id 13, wireType 0 =*/104).uint64(m.samplesLoaded);
                if (m.resolution != null && $Object.hasOwnProperty.call(m, "resolution") && m.resolution !== "")
                    w.uint32(/* id 14, wireType 2 =*/114).string(m.resolution);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes a PartialResult message from the specified reader or buffer.
             * @function decode
             * @memberof canopy.v1.PartialResult
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {canopy.v1.PartialResult & canopy.v1.PartialResult.$Shape} PartialResult
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            PartialResult.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.canopy.v1.PartialResult();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.queryId = v;
                            else
                                delete m.queryId;
                            continue;
                        }
                    case 2: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.zone = v;
                            else
                                delete m.zone;
                            continue;
                        }
                    case 3: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.region = v;
                            else
                                delete m.region;
                            continue;
                        }
                    case 4: {
                            if (u !== 0)
                                break;
                            if (v = r.uint32())
                                m.chunkIndex = v;
                            else
                                delete m.chunkIndex;
                            continue;
                        }
                    case 5: {
                            if (u !== 0)
                                break;
                            if (v = r.bool())
                                m.last = v;
                            else
                                delete m.last;
                            continue;
                        }
                    case 6: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.resultType = v;
                            else
                                delete m.resultType;
                            continue;
                        }
                    case 7: {
                            if (u !== 2)
                                break;
                            if (!(m.series && m.series.length))
                                m.series = [];
                            m.series.push($root.canopy.v1.Series.decode(r, r.size(), $undefined, q + 1));
                            continue;
                        }
                    case 8: {
                            if (u !== 1)
                                break;
                            if (!$Object.is(v = r.double(), 0))
                                m.scalar = v;
                            else
                                delete m.scalar;
                            continue;
                        }
                    case 9: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.stringValue = v;
                            else
                                delete m.stringValue;
                            continue;
                        }
                    case 10: {
                            if (u !== 2)
                                break;
                            if (!(m.aggregates && m.aggregates.length))
                                m.aggregates = [];
                            m.aggregates.push($root.canopy.v1.AggregateState.decode(r, r.size(), $undefined, q + 1));
                            continue;
                        }
                    case 11: {
                            if (u !== 2)
                                break;
                            if (!(m.warnings && m.warnings.length))
                                m.warnings = [];
                            m.warnings.push(r.stringVerify());
                            continue;
                        }
                    case 12: {
                            if (u !== 2)
                                break;
                            m.error = $root.canopy.v1.QueryError.decode(r, r.size(), $undefined, q + 1, m.error);
                            continue;
                        }
                    case 13: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                m.samplesLoaded = v;
                            else
                                delete m.samplesLoaded;
                            continue;
                        }
                    case 14: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.resolution = v;
                            else
                                delete m.resolution;
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            return PartialResult;
        })();

        v1.MetadataRequest = (function() {

            /**
             * Properties of a MetadataRequest.
             * @typedef {Object} canopy.v1.MetadataRequest.$Properties
             * @property {string|null} [queryId] MetadataRequest queryId
             * @property {canopy.v1.MetadataRequest.Kind|null} [kind] MetadataRequest kind
             * @property {Array.<string>|null} [matchers] MetadataRequest matchers
             * @property {string|null} [labelName] MetadataRequest labelName
             * @property {number|null} [startMs] MetadataRequest startMs
             * @property {number|null} [endMs] MetadataRequest endMs
             * @property {number|null} [limit] MetadataRequest limit
             * @property {number|null} [timeoutMs] MetadataRequest timeoutMs
             * @property {string|null} [tenant] MetadataRequest tenant
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a MetadataRequest.
             * @memberof canopy.v1
             * @interface IMetadataRequest
             * @augments canopy.v1.MetadataRequest.$Properties
             * @deprecated Use canopy.v1.MetadataRequest.$Properties instead.
             */

            /**
             * Shape of a MetadataRequest.
             * @typedef {canopy.v1.MetadataRequest.$Properties} canopy.v1.MetadataRequest.$Shape
             */

            /**
             * Constructs a new MetadataRequest.
             * @memberof canopy.v1
             * @classdesc Represents a MetadataRequest.
             * @constructor
             * @param {canopy.v1.MetadataRequest.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const MetadataRequest = function (p) {
                this.matchers = [];
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * MetadataRequest queryId.
             * @member {string} queryId
             * @memberof canopy.v1.MetadataRequest
             * @instance
             */
            MetadataRequest.prototype.queryId = "";

            /**
             * MetadataRequest kind.
             * @member {canopy.v1.MetadataRequest.Kind} kind
             * @memberof canopy.v1.MetadataRequest
             * @instance
             */
            MetadataRequest.prototype.kind = 0;

            /**
             * MetadataRequest matchers.
             * @member {Array.<string>} matchers
             * @memberof canopy.v1.MetadataRequest
             * @instance
             */
            MetadataRequest.prototype.matchers = $util.emptyArray;

            /**
             * MetadataRequest labelName.
             * @member {string} labelName
             * @memberof canopy.v1.MetadataRequest
             * @instance
             */
            MetadataRequest.prototype.labelName = "";

            /**
             * MetadataRequest startMs.
             * @member {number} startMs
             * @memberof canopy.v1.MetadataRequest
             * @instance
             */
            MetadataRequest.prototype.startMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * MetadataRequest endMs.
             * @member {number} endMs
             * @memberof canopy.v1.MetadataRequest
             * @instance
             */
            MetadataRequest.prototype.endMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * MetadataRequest limit.
             * @member {number} limit
             * @memberof canopy.v1.MetadataRequest
             * @instance
             */
            MetadataRequest.prototype.limit = 0;

            /**
             * MetadataRequest timeoutMs.
             * @member {number} timeoutMs
             * @memberof canopy.v1.MetadataRequest
             * @instance
             */
            MetadataRequest.prototype.timeoutMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * MetadataRequest tenant.
             * @member {string} tenant
             * @memberof canopy.v1.MetadataRequest
             * @instance
             */
            MetadataRequest.prototype.tenant = "";

            /**
             * Creates a new MetadataRequest instance using the specified properties.
             * @function create
             * @memberof canopy.v1.MetadataRequest
             * @static
             * @param {canopy.v1.MetadataRequest.$Properties=} [properties] Properties to set
             * @returns {canopy.v1.MetadataRequest} MetadataRequest instance
             * @type {{
             *   (properties: canopy.v1.MetadataRequest.$Shape): canopy.v1.MetadataRequest & canopy.v1.MetadataRequest.$Shape;
             *   (properties?: canopy.v1.MetadataRequest.$Properties): canopy.v1.MetadataRequest;
             * }}
             */
            MetadataRequest.create = function(properties) {
                return new MetadataRequest(properties);
            };

            /**
             * Encodes the specified MetadataRequest message. Does not implicitly {@link canopy.v1.MetadataRequest.verify|verify} messages.
             * @function encode
             * @memberof canopy.v1.MetadataRequest
             * @static
             * @param {canopy.v1.MetadataRequest.$Properties} m MetadataRequest message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            MetadataRequest.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.queryId != null && $Object.hasOwnProperty.call(m, "queryId") && m.queryId !== "")
                    w.uint32(/* id 1, wireType 2 =*/10).string(m.queryId);
                if (m.kind != null && $Object.hasOwnProperty.call(m, "kind") && m.kind !== 0)
                    w.uint32(/* id 2, wireType 0 =*/16).int32(m.kind);
                if (m.matchers != null && m.matchers.length) {
                    for (var i = 0; i < m.matchers.length; ++i)
                        w.uint32(/* id 3, wireType 2 =*/26).string(m.matchers[i]);
                }
                if (m.labelName != null && $Object.hasOwnProperty.call(m, "labelName") && m.labelName !== "")
                    w.uint32(/* id 4, wireType 2 =*/34).string(m.labelName);
                if (m.startMs != null && $Object.hasOwnProperty.call(m, "startMs") && (typeof m.startMs === "object" ? m.startMs.low || m.startMs.high : m.startMs !== 0))
                    w.uint32(/* id 5, wireType 0 =*/40).int64(m.startMs);
                if (m.endMs != null && $Object.hasOwnProperty.call(m, "endMs") && (typeof m.endMs === "object" ? m.endMs.low || m.endMs.high : m.endMs !== 0))
                    w.uint32(/* id 6, wireType 0 =*/48).int64(m.endMs);
                if (m.limit != null && $Object.hasOwnProperty.call(m, "limit") && m.limit !== 0)
                    w.uint32(/* id 7, wireType 0 =*/56).uint32(m.limit);
                if (m.timeoutMs != null && $Object.hasOwnProperty.call(m, "timeoutMs") && (typeof m.timeoutMs === "object" ? m.timeoutMs.low || m.timeoutMs.high : m.timeoutMs !== 0))
                    w.uint32(/* id 8, wireType 0 =*/64).int64(m.timeoutMs);
                if (m.tenant != null && $Object.hasOwnProperty.call(m, "tenant") && m.tenant !== "")
                    w.uint32(/* id 20, wireType 2 =*/162).string(m.tenant);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes a MetadataRequest message from the specified reader or buffer.
             * @function decode
             * @memberof canopy.v1.MetadataRequest
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {canopy.v1.MetadataRequest & canopy.v1.MetadataRequest.$Shape} MetadataRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            MetadataRequest.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.canopy.v1.MetadataRequest();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.queryId = v;
                            else
                                delete m.queryId;
                            continue;
                        }
                    case 2: {
                            if (u !== 0)
                                break;
                            if (v = r.int32())
                                m.kind = v;
                            else
                                delete m.kind;
                            continue;
                        }
                    case 3: {
                            if (u !== 2)
                                break;
                            if (!(m.matchers && m.matchers.length))
                                m.matchers = [];
                            m.matchers.push(r.stringVerify());
                            continue;
                        }
                    case 4: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.labelName = v;
                            else
                                delete m.labelName;
                            continue;
                        }
                    case 5: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.int64()) === "object" ? v.low || v.high : v !== 0)
                                m.startMs = v;
                            else
                                delete m.startMs;
                            continue;
                        }
                    case 6: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.int64()) === "object" ? v.low || v.high : v !== 0)
                                m.endMs = v;
                            else
                                delete m.endMs;
                            continue;
                        }
                    case 7: {
                            if (u !== 0)
                                break;
                            if (v = r.uint32())
                                m.limit = v;
                            else
                                delete m.limit;
                            continue;
                        }
                    case 8: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.int64()) === "object" ? v.low || v.high : v !== 0)
                                m.timeoutMs = v;
                            else
                                delete m.timeoutMs;
                            continue;
                        }
                    case 20: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.tenant = v;
                            else
                                delete m.tenant;
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            /**
             * Kind enum.
             * @name canopy.v1.MetadataRequest.Kind
             * @enum {number}
             * @property {number} SERIES=0 SERIES value
             * @property {number} LABEL_NAMES=1 LABEL_NAMES value
             * @property {number} LABEL_VALUES=2 LABEL_VALUES value
             * @property {number} METADATA=3 METADATA value
             * @property {number} HINTS=4 HINTS value
             * @property {number} CARDINALITY=5 CARDINALITY value
             */
            MetadataRequest.Kind = (function() {
                const valuesById = $Object.create(null), values = $Object.create(valuesById);
                values[valuesById[0] = "SERIES"] = 0;
                values[valuesById[1] = "LABEL_NAMES"] = 1;
                values[valuesById[2] = "LABEL_VALUES"] = 2;
                values[valuesById[3] = "METADATA"] = 3;
                values[valuesById[4] = "HINTS"] = 4;
                values[valuesById[5] = "CARDINALITY"] = 5;
                return values;
            })();

            return MetadataRequest;
        })();

        v1.MetadataResult = (function() {

            /**
             * Properties of a MetadataResult.
             * @typedef {Object} canopy.v1.MetadataResult.$Properties
             * @property {string|null} [queryId] MetadataResult queryId
             * @property {string|null} [zone] MetadataResult zone
             * @property {Array.<canopy.v1.Series.$Properties>|null} [series] MetadataResult series
             * @property {Array.<string>|null} [values] MetadataResult values
             * @property {Array.<canopy.v1.MetricMetadata.$Properties>|null} [metadata] MetadataResult metadata
             * @property {Array.<string>|null} [warnings] MetadataResult warnings
             * @property {canopy.v1.QueryError.$Properties|null} [error] MetadataResult error
             * @property {canopy.v1.ZoneHints.$Properties|null} [hints] MetadataResult hints
             * @property {number|null} [chunkIndex] MetadataResult chunkIndex
             * @property {boolean|null} [last] MetadataResult last
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a MetadataResult.
             * @memberof canopy.v1
             * @interface IMetadataResult
             * @augments canopy.v1.MetadataResult.$Properties
             * @deprecated Use canopy.v1.MetadataResult.$Properties instead.
             */

            /**
             * Shape of a MetadataResult.
             * @typedef {canopy.v1.MetadataResult.$Properties} canopy.v1.MetadataResult.$Shape
             */

            /**
             * Constructs a new MetadataResult.
             * @memberof canopy.v1
             * @classdesc Represents a MetadataResult.
             * @constructor
             * @param {canopy.v1.MetadataResult.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const MetadataResult = function (p) {
                this.series = [];
                this.values = [];
                this.metadata = [];
                this.warnings = [];
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * MetadataResult queryId.
             * @member {string} queryId
             * @memberof canopy.v1.MetadataResult
             * @instance
             */
            MetadataResult.prototype.queryId = "";

            /**
             * MetadataResult zone.
             * @member {string} zone
             * @memberof canopy.v1.MetadataResult
             * @instance
             */
            MetadataResult.prototype.zone = "";

            /**
             * MetadataResult series.
             * @member {Array.<canopy.v1.Series.$Properties>} series
             * @memberof canopy.v1.MetadataResult
             * @instance
             */
            MetadataResult.prototype.series = $util.emptyArray;

            /**
             * MetadataResult values.
             * @member {Array.<string>} values
             * @memberof canopy.v1.MetadataResult
             * @instance
             */
            MetadataResult.prototype.values = $util.emptyArray;

            /**
             * MetadataResult metadata.
             * @member {Array.<canopy.v1.MetricMetadata.$Properties>} metadata
             * @memberof canopy.v1.MetadataResult
             * @instance
             */
            MetadataResult.prototype.metadata = $util.emptyArray;

            /**
             * MetadataResult warnings.
             * @member {Array.<string>} warnings
             * @memberof canopy.v1.MetadataResult
             * @instance
             */
            MetadataResult.prototype.warnings = $util.emptyArray;

            /**
             * MetadataResult error.
             * @member {canopy.v1.QueryError.$Properties|null|undefined} error
             * @memberof canopy.v1.MetadataResult
             * @instance
             */
            MetadataResult.prototype.error = null;

            /**
             * MetadataResult hints.
             * @member {canopy.v1.ZoneHints.$Properties|null|undefined} hints
             * @memberof canopy.v1.MetadataResult
             * @instance
             */
            MetadataResult.prototype.hints = null;

            /**
             * MetadataResult chunkIndex.
             * @member {number} chunkIndex
             * @memberof canopy.v1.MetadataResult
             * @instance
             */
            MetadataResult.prototype.chunkIndex = 0;

            /**
             * MetadataResult last.
             * @member {boolean} last
             * @memberof canopy.v1.MetadataResult
             * @instance
             */
            MetadataResult.prototype.last = false;

            /**
             * Creates a new MetadataResult instance using the specified properties.
             * @function create
             * @memberof canopy.v1.MetadataResult
             * @static
             * @param {canopy.v1.MetadataResult.$Properties=} [properties] Properties to set
             * @returns {canopy.v1.MetadataResult} MetadataResult instance
             * @type {{
             *   (properties: canopy.v1.MetadataResult.$Shape): canopy.v1.MetadataResult & canopy.v1.MetadataResult.$Shape;
             *   (properties?: canopy.v1.MetadataResult.$Properties): canopy.v1.MetadataResult;
             * }}
             */
            MetadataResult.create = function(properties) {
                return new MetadataResult(properties);
            };

            /**
             * Encodes the specified MetadataResult message. Does not implicitly {@link canopy.v1.MetadataResult.verify|verify} messages.
             * @function encode
             * @memberof canopy.v1.MetadataResult
             * @static
             * @param {canopy.v1.MetadataResult.$Properties} m MetadataResult message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            MetadataResult.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.queryId != null && $Object.hasOwnProperty.call(m, "queryId") && m.queryId !== "")
                    w.uint32(/* id 1, wireType 2 =*/10).string(m.queryId);
                if (m.zone != null && $Object.hasOwnProperty.call(m, "zone") && m.zone !== "")
                    w.uint32(/* id 2, wireType 2 =*/18).string(m.zone);
                if (m.series != null && m.series.length) {
                    for (var i = 0; i < m.series.length; ++i)
                        $root.canopy.v1.Series.encode(m.series[i], w.uint32(/* id 3, wireType 2 =*/26).fork(), q + 1).ldelim();
                }
                if (m.values != null && m.values.length) {
                    for (var i = 0; i < m.values.length; ++i)
                        w.uint32(/* id 4, wireType 2 =*/34).string(m.values[i]);
                }
                if (m.metadata != null && m.metadata.length) {
                    for (var i = 0; i < m.metadata.length; ++i)
                        $root.canopy.v1.MetricMetadata.encode(m.metadata[i], w.uint32(/* id 5, wireType 2 =*/42).fork(), q + 1).ldelim();
                }
                if (m.warnings != null && m.warnings.length) {
                    for (var i = 0; i < m.warnings.length; ++i)
                        w.uint32(/* id 6, wireType 2 =*/50).string(m.warnings[i]);
                }
                if (m.error != null && $Object.hasOwnProperty.call(m, "error"))
                    $root.canopy.v1.QueryError.encode(m.error, w.uint32(/* id 7, wireType 2 =*/58).fork(), q + 1).ldelim();
                if (m.hints != null && $Object.hasOwnProperty.call(m, "hints"))
                    $root.canopy.v1.ZoneHints.encode(m.hints, w.uint32(/* id 8, wireType 2 =*/66).fork(), q + 1).ldelim();
                if (m.chunkIndex != null && $Object.hasOwnProperty.call(m, "chunkIndex") && m.chunkIndex !== 0)
                    w.uint32(/* id 9, wireType 0 =*/72).uint32(m.chunkIndex);
                if (m.last != null && $Object.hasOwnProperty.call(m, "last") && m.last !== false)
                    w.uint32(/* id 10, wireType 0 =*/80).bool(m.last);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes a MetadataResult message from the specified reader or buffer.
             * @function decode
             * @memberof canopy.v1.MetadataResult
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {canopy.v1.MetadataResult & canopy.v1.MetadataResult.$Shape} MetadataResult
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            MetadataResult.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.canopy.v1.MetadataResult();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.queryId = v;
                            else
                                delete m.queryId;
                            continue;
                        }
                    case 2: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.zone = v;
                            else
                                delete m.zone;
                            continue;
                        }
                    case 3: {
                            if (u !== 2)
                                break;
                            if (!(m.series && m.series.length))
                                m.series = [];
                            m.series.push($root.canopy.v1.Series.decode(r, r.size(), $undefined, q + 1));
                            continue;
                        }
                    case 4: {
                            if (u !== 2)
                                break;
                            if (!(m.values && m.values.length))
                                m.values = [];
                            m.values.push(r.stringVerify());
                            continue;
                        }
                    case 5: {
                            if (u !== 2)
                                break;
                            if (!(m.metadata && m.metadata.length))
                                m.metadata = [];
                            m.metadata.push($root.canopy.v1.MetricMetadata.decode(r, r.size(), $undefined, q + 1));
                            continue;
                        }
                    case 6: {
                            if (u !== 2)
                                break;
                            if (!(m.warnings && m.warnings.length))
                                m.warnings = [];
                            m.warnings.push(r.stringVerify());
                            continue;
                        }
                    case 7: {
                            if (u !== 2)
                                break;
                            m.error = $root.canopy.v1.QueryError.decode(r, r.size(), $undefined, q + 1, m.error);
                            continue;
                        }
                    case 8: {
                            if (u !== 2)
                                break;
                            m.hints = $root.canopy.v1.ZoneHints.decode(r, r.size(), $undefined, q + 1, m.hints);
                            continue;
                        }
                    case 9: {
                            if (u !== 0)
                                break;
                            if (v = r.uint32())
                                m.chunkIndex = v;
                            else
                                delete m.chunkIndex;
                            continue;
                        }
                    case 10: {
                            if (u !== 0)
                                break;
                            if (v = r.bool())
                                m.last = v;
                            else
                                delete m.last;
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            return MetadataResult;
        })();

        v1.ZoneHints = (function() {

            /**
             * Properties of a ZoneHints.
             * @typedef {Object} canopy.v1.ZoneHints.$Properties
             * @property {string|null} [zone] ZoneHints zone
             * @property {string|null} [region] ZoneHints region
             * @property {number|null} [timestampMs] ZoneHints timestampMs
             * @property {number|null} [seriesCount] ZoneHints seriesCount
             * @property {Array.<string>|null} [metricNames] ZoneHints metricNames
             * @property {Array.<canopy.v1.LabelSummary.$Properties>|null} [labels] ZoneHints labels
             * @property {Array.<canopy.v1.MetricCardinality.$Properties>|null} [cardinality] ZoneHints cardinality
             * @property {Array.<canopy.v1.Label.$Properties>|null} [externalLabels] ZoneHints externalLabels
             * @property {string|null} [incarnation] ZoneHints incarnation
             * @property {number|null} [seq] ZoneHints seq
             * @property {canopy.v1.ZoneHints.Kind|null} [kind] ZoneHints kind
             * @property {number|null} [chunkIndex] ZoneHints chunkIndex
             * @property {boolean|null} [last] ZoneHints last
             * @property {number|null} [leaseMs] ZoneHints leaseMs
             * @property {boolean|null} [metricNamesIncomplete] ZoneHints metricNamesIncomplete
             * @property {boolean|null} [labelNamesIncomplete] ZoneHints labelNamesIncomplete
             * @property {Array.<canopy.v1.LabelPairCardinality.$Properties>|null} [labelPairs] ZoneHints labelPairs
             * @property {number|null} [labelPairsTotal] ZoneHints labelPairsTotal
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a ZoneHints.
             * @memberof canopy.v1
             * @interface IZoneHints
             * @augments canopy.v1.ZoneHints.$Properties
             * @deprecated Use canopy.v1.ZoneHints.$Properties instead.
             */

            /**
             * Shape of a ZoneHints.
             * @typedef {canopy.v1.ZoneHints.$Properties} canopy.v1.ZoneHints.$Shape
             */

            /**
             * Constructs a new ZoneHints.
             * @memberof canopy.v1
             * @classdesc Represents a ZoneHints.
             * @constructor
             * @param {canopy.v1.ZoneHints.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const ZoneHints = function (p) {
                this.metricNames = [];
                this.labels = [];
                this.cardinality = [];
                this.externalLabels = [];
                this.labelPairs = [];
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * ZoneHints zone.
             * @member {string} zone
             * @memberof canopy.v1.ZoneHints
             * @instance
             */
            ZoneHints.prototype.zone = "";

            /**
             * ZoneHints region.
             * @member {string} region
             * @memberof canopy.v1.ZoneHints
             * @instance
             */
            ZoneHints.prototype.region = "";

            /**
             * ZoneHints timestampMs.
             * @member {number} timestampMs
             * @memberof canopy.v1.ZoneHints
             * @instance
             */
            ZoneHints.prototype.timestampMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * ZoneHints seriesCount.
             * @member {number} seriesCount
             * @memberof canopy.v1.ZoneHints
             * @instance
             */
            ZoneHints.prototype.seriesCount = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * ZoneHints metricNames.
             * @member {Array.<string>} metricNames
             * @memberof canopy.v1.ZoneHints
             * @instance
             */
            ZoneHints.prototype.metricNames = $util.emptyArray;

            /**
             * ZoneHints labels.
             * @member {Array.<canopy.v1.LabelSummary.$Properties>} labels
             * @memberof canopy.v1.ZoneHints
             * @instance
             */
            ZoneHints.prototype.labels = $util.emptyArray;

            /**
             * ZoneHints cardinality.
             * @member {Array.<canopy.v1.MetricCardinality.$Properties>} cardinality
             * @memberof canopy.v1.ZoneHints
             * @instance
             */
            ZoneHints.prototype.cardinality = $util.emptyArray;

            /**
             * ZoneHints externalLabels.
             * @member {Array.<canopy.v1.Label.$Properties>} externalLabels
             * @memberof canopy.v1.ZoneHints
             * @instance
             */
            ZoneHints.prototype.externalLabels = $util.emptyArray;

            /**
             * ZoneHints incarnation.
             * @member {string} incarnation
             * @memberof canopy.v1.ZoneHints
             * @instance
             */
            ZoneHints.prototype.incarnation = "";

            /**
             * ZoneHints seq.
             * @member {number} seq
             * @memberof canopy.v1.ZoneHints
             * @instance
             */
            ZoneHints.prototype.seq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * ZoneHints kind.
             * @member {canopy.v1.ZoneHints.Kind} kind
             * @memberof canopy.v1.ZoneHints
             * @instance
             */
            ZoneHints.prototype.kind = 0;

            /**
             * ZoneHints chunkIndex.
             * @member {number} chunkIndex
             * @memberof canopy.v1.ZoneHints
             * @instance
             */
            ZoneHints.prototype.chunkIndex = 0;

            /**
             * ZoneHints last.
             * @member {boolean} last
             * @memberof canopy.v1.ZoneHints
             * @instance
             */
            ZoneHints.prototype.last = false;

            /**
             * ZoneHints leaseMs.
             * @member {number} leaseMs
             * @memberof canopy.v1.ZoneHints
             * @instance
             */
            ZoneHints.prototype.leaseMs = 0;

            /**
             * ZoneHints metricNamesIncomplete.
             * @member {boolean} metricNamesIncomplete
             * @memberof canopy.v1.ZoneHints
             * @instance
             */
            ZoneHints.prototype.metricNamesIncomplete = false;

            /**
             * ZoneHints labelNamesIncomplete.
             * @member {boolean} labelNamesIncomplete
             * @memberof canopy.v1.ZoneHints
             * @instance
             */
            ZoneHints.prototype.labelNamesIncomplete = false;

            /**
             * ZoneHints labelPairs.
             * @member {Array.<canopy.v1.LabelPairCardinality.$Properties>} labelPairs
             * @memberof canopy.v1.ZoneHints
             * @instance
             */
            ZoneHints.prototype.labelPairs = $util.emptyArray;

            /**
             * ZoneHints labelPairsTotal.
             * @member {number} labelPairsTotal
             * @memberof canopy.v1.ZoneHints
             * @instance
             */
            ZoneHints.prototype.labelPairsTotal = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Creates a new ZoneHints instance using the specified properties.
             * @function create
             * @memberof canopy.v1.ZoneHints
             * @static
             * @param {canopy.v1.ZoneHints.$Properties=} [properties] Properties to set
             * @returns {canopy.v1.ZoneHints} ZoneHints instance
             * @type {{
             *   (properties: canopy.v1.ZoneHints.$Shape): canopy.v1.ZoneHints & canopy.v1.ZoneHints.$Shape;
             *   (properties?: canopy.v1.ZoneHints.$Properties): canopy.v1.ZoneHints;
             * }}
             */
            ZoneHints.create = function(properties) {
                return new ZoneHints(properties);
            };

            /**
             * Encodes the specified ZoneHints message. Does not implicitly {@link canopy.v1.ZoneHints.verify|verify} messages.
             * @function encode
             * @memberof canopy.v1.ZoneHints
             * @static
             * @param {canopy.v1.ZoneHints.$Properties} m ZoneHints message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ZoneHints.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.zone != null && $Object.hasOwnProperty.call(m, "zone") && m.zone !== "")
                    w.uint32(/* id 1, wireType 2 =*/10).string(m.zone);
                if (m.region != null && $Object.hasOwnProperty.call(m, "region") && m.region !== "")
                    w.uint32(/* id 2, wireType 2 =*/18).string(m.region);
                if (m.timestampMs != null && $Object.hasOwnProperty.call(m, "timestampMs") && (typeof m.timestampMs === "object" ? m.timestampMs.low || m.timestampMs.high : m.timestampMs !== 0))
                    w.uint32(/* id 3, wireType 0 =*/24).int64(m.timestampMs);
                if (m.seriesCount != null && $Object.hasOwnProperty.call(m, "seriesCount") && (typeof m.seriesCount === "object" ? m.seriesCount.low || m.seriesCount.high : m.seriesCount !== 0))
                    w.uint32(/* id 4, wireType 0 =*/32).uint64(m.seriesCount);
                if (m.metricNames != null && m.metricNames.length) {
                    for (var i = 0; i < m.metricNames.length; ++i)
                        w.uint32(/* id 5, wireType 2 =*/42).string(m.metricNames[i]);
                }
                if (m.labels != null && m.labels.length) {
                    for (var i = 0; i < m.labels.length; ++i)
                        $root.canopy.v1.LabelSummary.encode(m.labels[i], w.uint32(/* id 6, wireType 2 =*/50).fork(), q + 1).ldelim();
                }
                if (m.cardinality != null && m.cardinality.length) {
                    for (var i = 0; i < m.cardinality.length; ++i)
                        $root.canopy.v1.MetricCardinality.encode(m.cardinality[i], w.uint32(/* id 7, wireType 2 =*/58).fork(), q + 1).ldelim();
                }
                if (m.externalLabels != null && m.externalLabels.length) {
                    for (var i = 0; i < m.externalLabels.length; ++i)
                        $root.canopy.v1.Label.encode(m.externalLabels[i], w.uint32(/* id 8, wireType 2 =*/66).fork(), q + 1).ldelim();
                }
                if (m.incarnation != null && $Object.hasOwnProperty.call(m, "incarnation") && m.incarnation !== "")
                    w.uint32(/* id 9, wireType 2 =*/74).string(m.incarnation);
                if (m.seq != null && $Object.hasOwnProperty.call(m, "seq") && (typeof m.seq === "object" ? m.seq.low || m.seq.high : m.seq !== 0))
                    w.uint32(/* id 10, wireType 0 =*/80).uint64(m.seq);
                if (m.kind != null && $Object.hasOwnProperty.call(m, "kind") && m.kind !== 0)
                    w.uint32(/* id 11, wireType 0 =*/88).int32(m.kind);
                if (m.chunkIndex != null && $Object.hasOwnProperty.call(m, "chunkIndex") && m.chunkIndex !== 0)
                    w.uint32(/* id 12, wireType 0 =*/96).uint32(m.chunkIndex);
                if (m.last != null && $Object.hasOwnProperty.call(m, "last") && m.last !== false)
                    w.uint32(/* id 13, wireType 0 =*/104).bool(m.last);
                if (m.leaseMs != null && $Object.hasOwnProperty.call(m, "leaseMs") && m.leaseMs !== 0)
                    w.uint32(/* id 14, wireType 0 =*/112).uint32(m.leaseMs);
                if (m.metricNamesIncomplete != null && $Object.hasOwnProperty.call(m, "metricNamesIncomplete") && m.metricNamesIncomplete !== false)
                    w.uint32(/* id 15, wireType 0 =*/120).bool(m.metricNamesIncomplete);
                if (m.labelNamesIncomplete != null && $Object.hasOwnProperty.call(m, "labelNamesIncomplete") && m.labelNamesIncomplete !== false)
                    w.uint32(/* id 16, wireType 0 =*/128).bool(m.labelNamesIncomplete);
                if (m.labelPairs != null && m.labelPairs.length) {
                    for (var i = 0; i < m.labelPairs.length; ++i)
                        $root.canopy.v1.LabelPairCardinality.encode(m.labelPairs[i], w.uint32(/* id 17, wireType 2 =*/138).fork(), q + 1).ldelim();
                }
                if (m.labelPairsTotal != null && $Object.hasOwnProperty.call(m, "labelPairsTotal") && (typeof m.labelPairsTotal === "object" ? m.labelPairsTotal.low || m.labelPairsTotal.high : m.labelPairsTotal !== 0))
                    w.uint32(/* id 18, wireType 0 =*/144).uint64(m.labelPairsTotal);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes a ZoneHints message from the specified reader or buffer.
             * @function decode
             * @memberof canopy.v1.ZoneHints
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {canopy.v1.ZoneHints & canopy.v1.ZoneHints.$Shape} ZoneHints
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ZoneHints.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.canopy.v1.ZoneHints();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.zone = v;
                            else
                                delete m.zone;
                            continue;
                        }
                    case 2: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.region = v;
                            else
                                delete m.region;
                            continue;
                        }
                    case 3: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.int64()) === "object" ? v.low || v.high : v !== 0)
                                m.timestampMs = v;
                            else
                                delete m.timestampMs;
                            continue;
                        }
                    case 4: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                m.seriesCount = v;
                            else
                                delete m.seriesCount;
                            continue;
                        }
                    case 5: {
                            if (u !== 2)
                                break;
                            if (!(m.metricNames && m.metricNames.length))
                                m.metricNames = [];
                            m.metricNames.push(r.stringVerify());
                            continue;
                        }
                    case 6: {
                            if (u !== 2)
                                break;
                            if (!(m.labels && m.labels.length))
                                m.labels = [];
                            m.labels.push($root.canopy.v1.LabelSummary.decode(r, r.size(), $undefined, q + 1));
                            continue;
                        }
                    case 7: {
                            if (u !== 2)
                                break;
                            if (!(m.cardinality && m.cardinality.length))
                                m.cardinality = [];
                            m.cardinality.push($root.canopy.v1.MetricCardinality.decode(r, r.size(), $undefined, q + 1));
                            continue;
                        }
                    case 8: {
                            if (u !== 2)
                                break;
                            if (!(m.externalLabels && m.externalLabels.length))
                                m.externalLabels = [];
                            m.externalLabels.push($root.canopy.v1.Label.decode(r, r.size(), $undefined, q + 1));
                            continue;
                        }
                    case 9: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.incarnation = v;
                            else
                                delete m.incarnation;
                            continue;
                        }
                    case 10: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                m.seq = v;
                            else
                                delete m.seq;
                            continue;
                        }
                    case 11: {
                            if (u !== 0)
                                break;
                            if (v = r.int32())
                                m.kind = v;
                            else
                                delete m.kind;
                            continue;
                        }
                    case 12: {
                            if (u !== 0)
                                break;
                            if (v = r.uint32())
                                m.chunkIndex = v;
                            else
                                delete m.chunkIndex;
                            continue;
                        }
                    case 13: {
                            if (u !== 0)
                                break;
                            if (v = r.bool())
                                m.last = v;
                            else
                                delete m.last;
                            continue;
                        }
                    case 14: {
                            if (u !== 0)
                                break;
                            if (v = r.uint32())
                                m.leaseMs = v;
                            else
                                delete m.leaseMs;
                            continue;
                        }
                    case 15: {
                            if (u !== 0)
                                break;
                            if (v = r.bool())
                                m.metricNamesIncomplete = v;
                            else
                                delete m.metricNamesIncomplete;
                            continue;
                        }
                    case 16: {
                            if (u !== 0)
                                break;
                            if (v = r.bool())
                                m.labelNamesIncomplete = v;
                            else
                                delete m.labelNamesIncomplete;
                            continue;
                        }
                    case 17: {
                            if (u !== 2)
                                break;
                            if (!(m.labelPairs && m.labelPairs.length))
                                m.labelPairs = [];
                            m.labelPairs.push($root.canopy.v1.LabelPairCardinality.decode(r, r.size(), $undefined, q + 1));
                            continue;
                        }
                    case 18: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                m.labelPairsTotal = v;
                            else
                                delete m.labelPairsTotal;
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            /**
             * Kind enum.
             * @name canopy.v1.ZoneHints.Kind
             * @enum {number}
             * @property {number} UNVERSIONED=0 UNVERSIONED value
             * @property {number} SNAPSHOT=1 SNAPSHOT value
             * @property {number} DELTA=2 DELTA value
             * @property {number} KEEPALIVE=3 KEEPALIVE value
             */
            ZoneHints.Kind = (function() {
                const valuesById = $Object.create(null), values = $Object.create(valuesById);
                values[valuesById[0] = "UNVERSIONED"] = 0;
                values[valuesById[1] = "SNAPSHOT"] = 1;
                values[valuesById[2] = "DELTA"] = 2;
                values[valuesById[3] = "KEEPALIVE"] = 3;
                return values;
            })();

            return ZoneHints;
        })();

        v1.HintSyncRequest = (function() {

            /**
             * Properties of a HintSyncRequest.
             * @typedef {Object} canopy.v1.HintSyncRequest.$Properties
             * @property {string|null} [zone] HintSyncRequest zone
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a HintSyncRequest.
             * @memberof canopy.v1
             * @interface IHintSyncRequest
             * @augments canopy.v1.HintSyncRequest.$Properties
             * @deprecated Use canopy.v1.HintSyncRequest.$Properties instead.
             */

            /**
             * Shape of a HintSyncRequest.
             * @typedef {canopy.v1.HintSyncRequest.$Properties} canopy.v1.HintSyncRequest.$Shape
             */

            /**
             * Constructs a new HintSyncRequest.
             * @memberof canopy.v1
             * @classdesc Represents a HintSyncRequest.
             * @constructor
             * @param {canopy.v1.HintSyncRequest.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const HintSyncRequest = function (p) {
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * HintSyncRequest zone.
             * @member {string} zone
             * @memberof canopy.v1.HintSyncRequest
             * @instance
             */
            HintSyncRequest.prototype.zone = "";

            /**
             * Creates a new HintSyncRequest instance using the specified properties.
             * @function create
             * @memberof canopy.v1.HintSyncRequest
             * @static
             * @param {canopy.v1.HintSyncRequest.$Properties=} [properties] Properties to set
             * @returns {canopy.v1.HintSyncRequest} HintSyncRequest instance
             * @type {{
             *   (properties: canopy.v1.HintSyncRequest.$Shape): canopy.v1.HintSyncRequest & canopy.v1.HintSyncRequest.$Shape;
             *   (properties?: canopy.v1.HintSyncRequest.$Properties): canopy.v1.HintSyncRequest;
             * }}
             */
            HintSyncRequest.create = function(properties) {
                return new HintSyncRequest(properties);
            };

            /**
             * Encodes the specified HintSyncRequest message. Does not implicitly {@link canopy.v1.HintSyncRequest.verify|verify} messages.
             * @function encode
             * @memberof canopy.v1.HintSyncRequest
             * @static
             * @param {canopy.v1.HintSyncRequest.$Properties} m HintSyncRequest message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            HintSyncRequest.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.zone != null && $Object.hasOwnProperty.call(m, "zone") && m.zone !== "")
                    w.uint32(/* id 1, wireType 2 =*/10).string(m.zone);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes a HintSyncRequest message from the specified reader or buffer.
             * @function decode
             * @memberof canopy.v1.HintSyncRequest
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {canopy.v1.HintSyncRequest & canopy.v1.HintSyncRequest.$Shape} HintSyncRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            HintSyncRequest.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.canopy.v1.HintSyncRequest();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.zone = v;
                            else
                                delete m.zone;
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            return HintSyncRequest;
        })();

        v1.LabelSummary = (function() {

            /**
             * Properties of a LabelSummary.
             * @typedef {Object} canopy.v1.LabelSummary.$Properties
             * @property {string|null} [name] LabelSummary name
             * @property {Array.<string>|null} [values] LabelSummary values
             * @property {boolean|null} [complete] LabelSummary complete
             * @property {number|null} [valueCount] LabelSummary valueCount
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a LabelSummary.
             * @memberof canopy.v1
             * @interface ILabelSummary
             * @augments canopy.v1.LabelSummary.$Properties
             * @deprecated Use canopy.v1.LabelSummary.$Properties instead.
             */

            /**
             * Shape of a LabelSummary.
             * @typedef {canopy.v1.LabelSummary.$Properties} canopy.v1.LabelSummary.$Shape
             */

            /**
             * Constructs a new LabelSummary.
             * @memberof canopy.v1
             * @classdesc Represents a LabelSummary.
             * @constructor
             * @param {canopy.v1.LabelSummary.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const LabelSummary = function (p) {
                this.values = [];
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * LabelSummary name.
             * @member {string} name
             * @memberof canopy.v1.LabelSummary
             * @instance
             */
            LabelSummary.prototype.name = "";

            /**
             * LabelSummary values.
             * @member {Array.<string>} values
             * @memberof canopy.v1.LabelSummary
             * @instance
             */
            LabelSummary.prototype.values = $util.emptyArray;

            /**
             * LabelSummary complete.
             * @member {boolean} complete
             * @memberof canopy.v1.LabelSummary
             * @instance
             */
            LabelSummary.prototype.complete = false;

            /**
             * LabelSummary valueCount.
             * @member {number} valueCount
             * @memberof canopy.v1.LabelSummary
             * @instance
             */
            LabelSummary.prototype.valueCount = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Creates a new LabelSummary instance using the specified properties.
             * @function create
             * @memberof canopy.v1.LabelSummary
             * @static
             * @param {canopy.v1.LabelSummary.$Properties=} [properties] Properties to set
             * @returns {canopy.v1.LabelSummary} LabelSummary instance
             * @type {{
             *   (properties: canopy.v1.LabelSummary.$Shape): canopy.v1.LabelSummary & canopy.v1.LabelSummary.$Shape;
             *   (properties?: canopy.v1.LabelSummary.$Properties): canopy.v1.LabelSummary;
             * }}
             */
            LabelSummary.create = function(properties) {
                return new LabelSummary(properties);
            };

            /**
             * Encodes the specified LabelSummary message. Does not implicitly {@link canopy.v1.LabelSummary.verify|verify} messages.
             * @function encode
             * @memberof canopy.v1.LabelSummary
             * @static
             * @param {canopy.v1.LabelSummary.$Properties} m LabelSummary message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            LabelSummary.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.name != null && $Object.hasOwnProperty.call(m, "name") && m.name !== "")
                    w.uint32(/* id 1, wireType 2 =*/10).string(m.name);
                if (m.values != null && m.values.length) {
                    for (var i = 0; i < m.values.length; ++i)
                        w.uint32(/* id 2, wireType 2 =*/18).string(m.values[i]);
                }
                if (m.complete != null && $Object.hasOwnProperty.call(m, "complete") && m.complete !== false)
                    w.uint32(/* id 3, wireType 0 =*/24).bool(m.complete);
                if (m.valueCount != null && $Object.hasOwnProperty.call(m, "valueCount") && (typeof m.valueCount === "object" ? m.valueCount.low || m.valueCount.high : m.valueCount !== 0))
                    w.uint32(/* id 4, wireType 0 =*/32).uint64(m.valueCount);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes a LabelSummary message from the specified reader or buffer.
             * @function decode
             * @memberof canopy.v1.LabelSummary
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {canopy.v1.LabelSummary & canopy.v1.LabelSummary.$Shape} LabelSummary
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            LabelSummary.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.canopy.v1.LabelSummary();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.name = v;
                            else
                                delete m.name;
                            continue;
                        }
                    case 2: {
                            if (u !== 2)
                                break;
                            if (!(m.values && m.values.length))
                                m.values = [];
                            m.values.push(r.stringVerify());
                            continue;
                        }
                    case 3: {
                            if (u !== 0)
                                break;
                            if (v = r.bool())
                                m.complete = v;
                            else
                                delete m.complete;
                            continue;
                        }
                    case 4: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                m.valueCount = v;
                            else
                                delete m.valueCount;
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            return LabelSummary;
        })();

        v1.MetricCardinality = (function() {

            /**
             * Properties of a MetricCardinality.
             * @typedef {Object} canopy.v1.MetricCardinality.$Properties
             * @property {string|null} [metric] MetricCardinality metric
             * @property {Uint8Array|null} [sketch] MetricCardinality sketch
             * @property {number|null} [series] MetricCardinality series
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a MetricCardinality.
             * @memberof canopy.v1
             * @interface IMetricCardinality
             * @augments canopy.v1.MetricCardinality.$Properties
             * @deprecated Use canopy.v1.MetricCardinality.$Properties instead.
             */

            /**
             * Shape of a MetricCardinality.
             * @typedef {canopy.v1.MetricCardinality.$Properties} canopy.v1.MetricCardinality.$Shape
             */

            /**
             * Constructs a new MetricCardinality.
             * @memberof canopy.v1
             * @classdesc Represents a MetricCardinality.
             * @constructor
             * @param {canopy.v1.MetricCardinality.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const MetricCardinality = function (p) {
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * MetricCardinality metric.
             * @member {string} metric
             * @memberof canopy.v1.MetricCardinality
             * @instance
             */
            MetricCardinality.prototype.metric = "";

            /**
             * MetricCardinality sketch.
             * @member {Uint8Array} sketch
             * @memberof canopy.v1.MetricCardinality
             * @instance
             */
            MetricCardinality.prototype.sketch = $util.newBuffer([]);

            /**
             * MetricCardinality series.
             * @member {number} series
             * @memberof canopy.v1.MetricCardinality
             * @instance
             */
            MetricCardinality.prototype.series = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Creates a new MetricCardinality instance using the specified properties.
             * @function create
             * @memberof canopy.v1.MetricCardinality
             * @static
             * @param {canopy.v1.MetricCardinality.$Properties=} [properties] Properties to set
             * @returns {canopy.v1.MetricCardinality} MetricCardinality instance
             * @type {{
             *   (properties: canopy.v1.MetricCardinality.$Shape): canopy.v1.MetricCardinality & canopy.v1.MetricCardinality.$Shape;
             *   (properties?: canopy.v1.MetricCardinality.$Properties): canopy.v1.MetricCardinality;
             * }}
             */
            MetricCardinality.create = function(properties) {
                return new MetricCardinality(properties);
            };

            /**
             * Encodes the specified MetricCardinality message. Does not implicitly {@link canopy.v1.MetricCardinality.verify|verify} messages.
             * @function encode
             * @memberof canopy.v1.MetricCardinality
             * @static
             * @param {canopy.v1.MetricCardinality.$Properties} m MetricCardinality message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            MetricCardinality.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.metric != null && $Object.hasOwnProperty.call(m, "metric") && m.metric !== "")
                    w.uint32(/* id 1, wireType 2 =*/10).string(m.metric);
                if (m.sketch != null && $Object.hasOwnProperty.call(m, "sketch") && m.sketch.length)
                    w.uint32(/* id 2, wireType 2 =*/18).bytes(m.sketch);
                if (m.series != null && $Object.hasOwnProperty.call(m, "series") && (typeof m.series === "object" ? m.series.low || m.series.high : m.series !== 0))
                    w.uint32(/* id 3, wireType 0 =*/24).uint64(m.series);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes a MetricCardinality message from the specified reader or buffer.
             * @function decode
             * @memberof canopy.v1.MetricCardinality
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {canopy.v1.MetricCardinality & canopy.v1.MetricCardinality.$Shape} MetricCardinality
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            MetricCardinality.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.canopy.v1.MetricCardinality();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.metric = v;
                            else
                                delete m.metric;
                            continue;
                        }
                    case 2: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.sketch = v;
                            else
                                delete m.sketch;
                            continue;
                        }
                    case 3: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                m.series = v;
                            else
                                delete m.series;
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            return MetricCardinality;
        })();

        v1.LabelPairCardinality = (function() {

            /**
             * Properties of a LabelPairCardinality.
             * @typedef {Object} canopy.v1.LabelPairCardinality.$Properties
             * @property {string|null} [name] LabelPairCardinality name
             * @property {string|null} [value] LabelPairCardinality value
             * @property {Uint8Array|null} [sketch] LabelPairCardinality sketch
             * @property {number|null} [series] LabelPairCardinality series
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a LabelPairCardinality.
             * @memberof canopy.v1
             * @interface ILabelPairCardinality
             * @augments canopy.v1.LabelPairCardinality.$Properties
             * @deprecated Use canopy.v1.LabelPairCardinality.$Properties instead.
             */

            /**
             * Shape of a LabelPairCardinality.
             * @typedef {canopy.v1.LabelPairCardinality.$Properties} canopy.v1.LabelPairCardinality.$Shape
             */

            /**
             * Constructs a new LabelPairCardinality.
             * @memberof canopy.v1
             * @classdesc Represents a LabelPairCardinality.
             * @constructor
             * @param {canopy.v1.LabelPairCardinality.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const LabelPairCardinality = function (p) {
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * LabelPairCardinality name.
             * @member {string} name
             * @memberof canopy.v1.LabelPairCardinality
             * @instance
             */
            LabelPairCardinality.prototype.name = "";

            /**
             * LabelPairCardinality value.
             * @member {string} value
             * @memberof canopy.v1.LabelPairCardinality
             * @instance
             */
            LabelPairCardinality.prototype.value = "";

            /**
             * LabelPairCardinality sketch.
             * @member {Uint8Array} sketch
             * @memberof canopy.v1.LabelPairCardinality
             * @instance
             */
            LabelPairCardinality.prototype.sketch = $util.newBuffer([]);

            /**
             * LabelPairCardinality series.
             * @member {number} series
             * @memberof canopy.v1.LabelPairCardinality
             * @instance
             */
            LabelPairCardinality.prototype.series = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Creates a new LabelPairCardinality instance using the specified properties.
             * @function create
             * @memberof canopy.v1.LabelPairCardinality
             * @static
             * @param {canopy.v1.LabelPairCardinality.$Properties=} [properties] Properties to set
             * @returns {canopy.v1.LabelPairCardinality} LabelPairCardinality instance
             * @type {{
             *   (properties: canopy.v1.LabelPairCardinality.$Shape): canopy.v1.LabelPairCardinality & canopy.v1.LabelPairCardinality.$Shape;
             *   (properties?: canopy.v1.LabelPairCardinality.$Properties): canopy.v1.LabelPairCardinality;
             * }}
             */
            LabelPairCardinality.create = function(properties) {
                return new LabelPairCardinality(properties);
            };

            /**
             * Encodes the specified LabelPairCardinality message. Does not implicitly {@link canopy.v1.LabelPairCardinality.verify|verify} messages.
             * @function encode
             * @memberof canopy.v1.LabelPairCardinality
             * @static
             * @param {canopy.v1.LabelPairCardinality.$Properties} m LabelPairCardinality message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            LabelPairCardinality.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.name != null && $Object.hasOwnProperty.call(m, "name") && m.name !== "")
                    w.uint32(/* id 1, wireType 2 =*/10).string(m.name);
                if (m.value != null && $Object.hasOwnProperty.call(m, "value") && m.value !== "")
                    w.uint32(/* id 2, wireType 2 =*/18).string(m.value);
                if (m.sketch != null && $Object.hasOwnProperty.call(m, "sketch") && m.sketch.length)
                    w.uint32(/* id 3, wireType 2 =*/26).bytes(m.sketch);
                if (m.series != null && $Object.hasOwnProperty.call(m, "series") && (typeof m.series === "object" ? m.series.low || m.series.high : m.series !== 0))
                    w.uint32(/* id 4, wireType 0 =*/32).uint64(m.series);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes a LabelPairCardinality message from the specified reader or buffer.
             * @function decode
             * @memberof canopy.v1.LabelPairCardinality
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {canopy.v1.LabelPairCardinality & canopy.v1.LabelPairCardinality.$Shape} LabelPairCardinality
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            LabelPairCardinality.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.canopy.v1.LabelPairCardinality();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.name = v;
                            else
                                delete m.name;
                            continue;
                        }
                    case 2: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.value = v;
                            else
                                delete m.value;
                            continue;
                        }
                    case 3: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.sketch = v;
                            else
                                delete m.sketch;
                            continue;
                        }
                    case 4: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                m.series = v;
                            else
                                delete m.series;
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            return LabelPairCardinality;
        })();

        v1.Heartbeat = (function() {

            /**
             * Properties of a Heartbeat.
             * @typedef {Object} canopy.v1.Heartbeat.$Properties
             * @property {string|null} [zone] Heartbeat zone
             * @property {string|null} [region] Heartbeat region
             * @property {number|null} [timestampMs] Heartbeat timestampMs
             * @property {number|null} [startedMs] Heartbeat startedMs
             * @property {number|null} [seriesCount] Heartbeat seriesCount
             * @property {string|null} [version] Heartbeat version
             * @property {string|null} [httpUrl] Heartbeat httpUrl
             * @property {Array.<canopy.v1.Label.$Properties>|null} [externalLabels] Heartbeat externalLabels
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Heartbeat.
             * @memberof canopy.v1
             * @interface IHeartbeat
             * @augments canopy.v1.Heartbeat.$Properties
             * @deprecated Use canopy.v1.Heartbeat.$Properties instead.
             */

            /**
             * Shape of a Heartbeat.
             * @typedef {canopy.v1.Heartbeat.$Properties} canopy.v1.Heartbeat.$Shape
             */

            /**
             * Constructs a new Heartbeat.
             * @memberof canopy.v1
             * @classdesc Represents a Heartbeat.
             * @constructor
             * @param {canopy.v1.Heartbeat.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Heartbeat = function (p) {
                this.externalLabels = [];
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * Heartbeat zone.
             * @member {string} zone
             * @memberof canopy.v1.Heartbeat
             * @instance
             */
            Heartbeat.prototype.zone = "";

            /**
             * Heartbeat region.
             * @member {string} region
             * @memberof canopy.v1.Heartbeat
             * @instance
             */
            Heartbeat.prototype.region = "";

            /**
             * Heartbeat timestampMs.
             * @member {number} timestampMs
             * @memberof canopy.v1.Heartbeat
             * @instance
             */
            Heartbeat.prototype.timestampMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * Heartbeat startedMs.
             * @member {number} startedMs
             * @memberof canopy.v1.Heartbeat
             * @instance
             */
            Heartbeat.prototype.startedMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * Heartbeat seriesCount.
             * @member {number} seriesCount
             * @memberof canopy.v1.Heartbeat
             * @instance
             */
            Heartbeat.prototype.seriesCount = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Heartbeat version.
             * @member {string} version
             * @memberof canopy.v1.Heartbeat
             * @instance
             */
            Heartbeat.prototype.version = "";

            /**
             * Heartbeat httpUrl.
             * @member {string} httpUrl
             * @memberof canopy.v1.Heartbeat
             * @instance
             */
            Heartbeat.prototype.httpUrl = "";

            /**
             * Heartbeat externalLabels.
             * @member {Array.<canopy.v1.Label.$Properties>} externalLabels
             * @memberof canopy.v1.Heartbeat
             * @instance
             */
            Heartbeat.prototype.externalLabels = $util.emptyArray;

            /**
             * Creates a new Heartbeat instance using the specified properties.
             * @function create
             * @memberof canopy.v1.Heartbeat
             * @static
             * @param {canopy.v1.Heartbeat.$Properties=} [properties] Properties to set
             * @returns {canopy.v1.Heartbeat} Heartbeat instance
             * @type {{
             *   (properties: canopy.v1.Heartbeat.$Shape): canopy.v1.Heartbeat & canopy.v1.Heartbeat.$Shape;
             *   (properties?: canopy.v1.Heartbeat.$Properties): canopy.v1.Heartbeat;
             * }}
             */
            Heartbeat.create = function(properties) {
                return new Heartbeat(properties);
            };

            /**
             * Encodes the specified Heartbeat message. Does not implicitly {@link canopy.v1.Heartbeat.verify|verify} messages.
             * @function encode
             * @memberof canopy.v1.Heartbeat
             * @static
             * @param {canopy.v1.Heartbeat.$Properties} m Heartbeat message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Heartbeat.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.zone != null && $Object.hasOwnProperty.call(m, "zone") && m.zone !== "")
                    w.uint32(/* id 1, wireType 2 =*/10).string(m.zone);
                if (m.region != null && $Object.hasOwnProperty.call(m, "region") && m.region !== "")
                    w.uint32(/* id 2, wireType 2 =*/18).string(m.region);
                if (m.timestampMs != null && $Object.hasOwnProperty.call(m, "timestampMs") && (typeof m.timestampMs === "object" ? m.timestampMs.low || m.timestampMs.high : m.timestampMs !== 0))
                    w.uint32(/* id 3, wireType 0 =*/24).int64(m.timestampMs);
                if (m.startedMs != null && $Object.hasOwnProperty.call(m, "startedMs") && (typeof m.startedMs === "object" ? m.startedMs.low || m.startedMs.high : m.startedMs !== 0))
                    w.uint32(/* id 4, wireType 0 =*/32).int64(m.startedMs);
                if (m.seriesCount != null && $Object.hasOwnProperty.call(m, "seriesCount") && (typeof m.seriesCount === "object" ? m.seriesCount.low || m.seriesCount.high : m.seriesCount !== 0))
                    w.uint32(/* id 5, wireType 0 =*/40).uint64(m.seriesCount);
                if (m.version != null && $Object.hasOwnProperty.call(m, "version") && m.version !== "")
                    w.uint32(/* id 6, wireType 2 =*/50).string(m.version);
                if (m.httpUrl != null && $Object.hasOwnProperty.call(m, "httpUrl") && m.httpUrl !== "")
                    w.uint32(/* id 7, wireType 2 =*/58).string(m.httpUrl);
                if (m.externalLabels != null && m.externalLabels.length) {
                    for (var i = 0; i < m.externalLabels.length; ++i)
                        $root.canopy.v1.Label.encode(m.externalLabels[i], w.uint32(/* id 8, wireType 2 =*/66).fork(), q + 1).ldelim();
                }
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes a Heartbeat message from the specified reader or buffer.
             * @function decode
             * @memberof canopy.v1.Heartbeat
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {canopy.v1.Heartbeat & canopy.v1.Heartbeat.$Shape} Heartbeat
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Heartbeat.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.canopy.v1.Heartbeat();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.zone = v;
                            else
                                delete m.zone;
                            continue;
                        }
                    case 2: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.region = v;
                            else
                                delete m.region;
                            continue;
                        }
                    case 3: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.int64()) === "object" ? v.low || v.high : v !== 0)
                                m.timestampMs = v;
                            else
                                delete m.timestampMs;
                            continue;
                        }
                    case 4: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.int64()) === "object" ? v.low || v.high : v !== 0)
                                m.startedMs = v;
                            else
                                delete m.startedMs;
                            continue;
                        }
                    case 5: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                m.seriesCount = v;
                            else
                                delete m.seriesCount;
                            continue;
                        }
                    case 6: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.version = v;
                            else
                                delete m.version;
                            continue;
                        }
                    case 7: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.httpUrl = v;
                            else
                                delete m.httpUrl;
                            continue;
                        }
                    case 8: {
                            if (u !== 2)
                                break;
                            if (!(m.externalLabels && m.externalLabels.length))
                                m.externalLabels = [];
                            m.externalLabels.push($root.canopy.v1.Label.decode(r, r.size(), $undefined, q + 1));
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            return Heartbeat;
        })();

        return v1;
    })();

    return canopy;
})();

export {
  $root as default
};
