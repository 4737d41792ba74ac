/** The dashboard in a Vert.x Web application: {@link dev.herald.dashboard.vertx.VertxDashboard}. */
package dev.herald.dashboard.vertx;
