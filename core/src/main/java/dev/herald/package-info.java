/** Herald's application API: signals, receivers, the engine and its options. */
package dev.herald;
