package dev.herald.r2dbc;

import dev.herald.spi.SqlRow;
import dev.herald.spi.SqlStatement;
import dev.herald.spi.SqlTransaction;
import io.r2dbc.spi.ConnectionFactory;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.r2dbc.connection.ConnectionFactoryUtils;
import org.springframework.transaction.NoTransactionException;
import org.springframework.transaction.reactive.TransactionSynchronization;
import org.springframework.transaction.reactive.TransactionSynchronizationManager;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Finds a Spring reactive transaction. Loaded only when spring-r2dbc is on the classpath.
 *
 * <p>The transaction's connection is obtained with {@code ConnectionFactoryUtils.getConnection} and
 * deliberately never released: releasing it drops the holder's reference and the transaction
 * manager's commit then fails with "Active Connection is required" (Spring 7.0.8), leaking the
 * pooled connection. This is what Spring's own {@code DatabaseClient} does inside a transaction.
 */
final class SpringTransactions {

  private SpringTransactions() {}

  static Mono<SqlTransaction> find(ConnectionFactory factory) {
    return TransactionSynchronizationManager.forCurrentTransaction()
        .onErrorResume(NoTransactionException.class, e -> Mono.empty())
        .filter(
            tsm ->
                tsm.isActualTransactionActive()
                    && tsm.isSynchronizationActive()
                    && tsm.hasResource(factory))
        .flatMap(
            tsm ->
                ConnectionFactoryUtils.getConnection(factory)
                    .map(
                        conn ->
                            new SqlTransaction() {
                              @Override
                              public <T> Flux<T> execute(
                                  List<SqlStatement> statements, Function<SqlRow, T> firstRows) {
                                return R2dbcDriver.run(conn, statements, firstRows);
                              }

                              @Override
                              public Mono<Long> update(List<SqlStatement> statements) {
                                return R2dbcDriver.update(conn, statements);
                              }

                              @Override
                              public boolean afterCommit(Supplier<Mono<Void>> action) {
                                tsm.registerSynchronization(
                                    new TransactionSynchronization() {
                                      @Override
                                      public Mono<Void> afterCommit() {
                                        return action.get();
                                      }
                                    });
                                return true;
                              }
                            }));
  }
}
