/**
 * Receivers that publish signals to a message broker (RabbitMQ, NATS JetStream, Kafka) and succeed
 * only once the broker confirmed the message, so a signal reaches the broker if and only if its
 * sender's transaction committed, at least once.
 */
package dev.herald.relay;
