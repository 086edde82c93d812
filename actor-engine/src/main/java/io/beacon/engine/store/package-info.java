/**
 * Node-local persistence of the actor engine: {@link io.beacon.engine.store.PartitionStore}, one
 * RocksDB database per Kafka partition with user states, the partition's offset, the segment
 * membership index, segment sizes and their hourly history, and the durable timer index — all
 * written in one atomic batch per commit.
 */
package io.beacon.engine.store;
