package dev.herald.spring;

import dev.herald.Delivery;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.reactivestreams.Publisher;
import org.springframework.aop.framework.autoproxy.AutoProxyUtils;
import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Finds the receivers declared in the application's beans: {@link HeraldReceiver} methods of
 * singleton beans (found on the target class, invoked on the bean as the container holds it, the
 * way {@code @EventListener} methods are) and {@link ReceiverRegistration} beans.
 */
final class ReceiverMethods {

  private ReceiverMethods() {}

  /**
   * Every receiver declared in the bean factory, in bean registration order.
   *
   * @throws HeraldStartupException for a method whose shape cannot be a receiver
   */
  static List<ReceiverDefinition> find(ConfigurableListableBeanFactory beans) {
    List<ReceiverDefinition> found = new ArrayList<>();
    for (String beanName : beans.getBeanNamesForType(Object.class, false, false)) {
      if (ScopedProxyUtils.isScopedTarget(beanName)) {
        continue;
      }
      Class<?> type = AutoProxyUtils.determineTargetClass(beans, beanName);
      if (type == null || !AnnotationUtils.isCandidateClass(type, HeraldReceiver.class)) {
        continue;
      }
      Map<Method, HeraldReceiver> methods =
          MethodIntrospector.selectMethods(
              type,
              (MethodIntrospector.MetadataLookup<HeraldReceiver>)
                  m -> AnnotatedElementUtils.findMergedAnnotation(m, HeraldReceiver.class));
      if (methods.isEmpty()) {
        continue;
      }
      Object bean = beans.getBean(beanName);
      methods.forEach((m, a) -> found.add(definition(bean, beanName, m, a)));
    }
    beans
        .getBeansOfType(ReceiverRegistration.class, false, true)
        .forEach(
            (beanName, r) ->
                found.add(
                    new ReceiverDefinition(
                        r.signal(),
                        r.name(),
                        r.type(),
                        r.receiver(),
                        "ReceiverRegistration bean '" + beanName + "'")));
    return found;
  }

  private static ReceiverDefinition definition(
      Object bean, String beanName, Method method, HeraldReceiver annotation) {
    String source =
        "method "
            + method.getDeclaringClass().getSimpleName()
            + "."
            + method.getName()
            + " of bean '"
            + beanName
            + "'";
    if (method.getParameterCount() != 1) {
      throw shape(source, annotation, "takes " + method.getParameterCount() + " parameters");
    }
    Class<?> returned = method.getReturnType();
    if (!(returned == void.class
        || returned == Void.class
        || Publisher.class.isAssignableFrom(returned))) {
      throw shape(source, annotation, "returns " + returned.getName());
    }
    ResolvableType parameter = ResolvableType.forMethodParameter(method, 0);
    boolean takesDelivery = parameter.toClass() == Delivery.class;
    Class<?> payload =
        takesDelivery ? parameter.getGeneric(0).resolve() : parameter.resolve(Object.class);
    if (payload == null) {
      throw shape(source, annotation, "takes a Delivery whose payload type is not a class");
    }
    Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
    // Package-private beans and methods are common in Spring applications.
    ReflectionUtils.makeAccessible(invocable);
    return new ReceiverDefinition(
        annotation.signal(),
        annotation.name(),
        ClassUtils.resolvePrimitiveIfNecessary(payload),
        new MethodReceiver(bean, invocable, takesDelivery),
        source);
  }

  private static HeraldStartupException shape(
      String source, HeraldReceiver annotation, String problem) {
    return new HeraldStartupException(
        "The @HeraldReceiver "
            + source
            + " (receiver '"
            + annotation.name()
            + "' of signal '"
            + annotation.signal()
            + "') "
            + problem
            + ".",
        "Give the method one parameter, the payload (T) or Delivery<T>, and make it return Mono,"
            + " Flux (any Publisher) or void.");
  }
}
