package dev.herald.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Connects a bean method as the receiver {@link #name()} of the signal {@link #signal()}:
 *
 * <pre>{@code
 * @HeraldReceiver(signal = "payment.completed", name = "crm-sync")
 * Mono<Void> syncCustomer(PaymentCompleted event) { ... }
 * }</pre>
 *
 * <p>Guarantees: every such method of a singleton bean is connected before Herald starts, with the
 * options of {@code herald.receivers.<signal>.<name>.*} over {@code herald.receiver-defaults.*};
 * the method runs if and only if a transaction that sent the signal committed, at least once per
 * task. It is invoked on the bean as the container holds it, so proxies apply
 * ({@code @Transactional} on the method opens a transaction per attempt).
 *
 * <p>The method takes one parameter, the payload {@code T} or the whole {@link dev.herald.Delivery
 * Delivery&lt;T&gt;} (its {@code taskId} is the idempotency key), and returns a {@code Mono} or any
 * {@code Publisher} (the attempt succeeds when it completes; its values are ignored), or {@code
 * void} (the attempt succeeds when the method returns; it runs on Herald's non-blocking threads, so
 * it must not block). A thrown exception or an error fails the attempt, which is retried by the
 * receiver's retry policy; {@link dev.herald.PermanentFailureException} dead-letters the task at
 * once. Startup fails, with an explanation, when the payload type differs from the signal's (a
 * {@code Signal<T>} bean, or another receiver of the signal), when two receivers of one signal
 * share a name, or when the method's shape is none of the above.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface HeraldReceiver {

  /**
   * The signal's stable name, as {@code Herald.signal(name, type)} declares it.
   *
   * @return the signal's name
   */
  String signal();

  /**
   * The receiver's stable name, unique for its signal: it is stored with every task and routes the
   * task to this method, so renaming it strands the tasks already sent (see {@code
   * Herald.backlog()}).
   *
   * @return the receiver's name
   */
  String name();
}
