/** Herald's benchmarks: JMH enqueue benchmarks and the scripted drain, latency and memory suite. */
package dev.herald.bench;
