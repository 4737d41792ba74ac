package dev.herald.relay;

/**
 * What a relayed message's body holds.
 *
 * <p>Every format carries the task id as the broker's message id (AMQP {@code message-id},
 * JetStream {@code Nats-Msg-Id}, a Kafka header), so consumers can drop the duplicates that
 * at-least-once delivery allows.
 */
public enum RelayFormat {

  /**
   * A CloudEvents 1.0 event: the signal's name as {@code type}, the task id as {@code id}, the
   * relay's source as {@code source}, the enqueue time as {@code time}, the payload's JSON as
   * {@code data}; {@code traceparent} and {@code tracestate} from the task's headers, and the
   * ordering key as {@code partitionkey}, as extensions. Structured mode (the body is {@code
   * application/cloudevents+json}) on RabbitMQ and NATS, binary mode ({@code ce_} headers, the
   * payload as the value) on Kafka, as each broker's CloudEvents binding describes.
   */
  CLOUDEVENTS,

  /**
   * The payload's JSON only, with content type {@code application/json}; the task's headers (for
   * example {@code traceparent}) travel as broker headers.
   */
  RAW
}
