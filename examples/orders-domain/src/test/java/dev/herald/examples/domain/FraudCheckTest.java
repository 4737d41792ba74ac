package dev.herald.examples.domain;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FraudCheckTest {

  @Test
  void rejectsPaymentsFromTheLimitOnAndNoOther() {
    assertThatCode(
            () -> FraudCheck.verify(new Payment(1, 1, FraudCheck.LIMIT_CENTS - 1, Payment.PENDING)))
        .doesNotThrowAnyException();
    assertThatThrownBy(
            () -> FraudCheck.verify(new Payment(5, 5, FraudCheck.LIMIT_CENTS, Payment.PENDING)))
        .isInstanceOf(FraudCheck.FraudSuspectedException.class)
        .hasMessage("payment 5 of $10,000.00 exceeds the limit of $10,000.00");
  }
}
