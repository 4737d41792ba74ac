/** Herald's engine: dispatcher, delivery pipeline, completer and lease keeper. Not an API. */
package dev.herald.internal;
