/**
 * Herald's benchmarks: JMH enqueue benchmarks and the scripted drain, latency, memory and soak
 * suite.
 */
package dev.herald.bench;
