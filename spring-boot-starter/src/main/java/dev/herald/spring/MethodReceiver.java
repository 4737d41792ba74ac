package dev.herald.spring;

import dev.herald.Delivery;
import dev.herald.Receiver;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A {@link HeraldReceiver} method as a {@link Receiver}: one invocation per attempt, on the bean
 * the container holds (so its proxies apply).
 */
final class MethodReceiver implements Receiver<Object> {

  private final Object bean;
  private final Method method;
  private final boolean takesDelivery;

  /**
   * @param bean the bean, possibly a proxy
   * @param method the method, invocable on {@code bean}
   * @param takesDelivery whether it takes the {@link Delivery} rather than the payload
   */
  MethodReceiver(Object bean, Method method, boolean takesDelivery) {
    this.bean = bean;
    this.method = method;
    this.takesDelivery = takesDelivery;
  }

  @Override
  public Mono<Void> receive(Delivery<Object> delivery) {
    // Deferred, so that each subscription (each attempt) invokes the method once.
    return Mono.defer(
        () -> {
          Object result;
          try {
            result = method.invoke(bean, takesDelivery ? delivery : delivery.payload());
          } catch (InvocationTargetException e) {
            // The method's own exception, so that a PermanentFailureException still dead-letters
            // the task at once.
            return Mono.error(e.getCause());
          } catch (IllegalAccessException e) {
            return Mono.error(e);
          }
          if (result instanceof Publisher<?> publisher) {
            return Flux.from(publisher).then();
          }
          if (result == null && Publisher.class.isAssignableFrom(method.getReturnType())) {
            return Mono.error(
                new IllegalStateException(
                    method
                        + " returned null instead of a Publisher for task "
                        + delivery.taskId()));
          }
          return Mono.empty();
        });
  }

  @Override
  public String toString() {
    return method.getDeclaringClass().getSimpleName() + "." + method.getName();
  }
}
