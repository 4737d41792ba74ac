/** Test support for applications: an in-memory task store with an immediate delivery mode. */
package dev.herald.testing;
