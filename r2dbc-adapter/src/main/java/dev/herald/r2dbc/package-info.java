/** Herald's task store on R2DBC PostgreSQL: {@link dev.herald.r2dbc.R2dbcTaskStore}. */
package dev.herald.r2dbc;
