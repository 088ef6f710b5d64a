package dev.keepalive.agent;

/** One header field, name as sent or received (case kept), value without surrounding whitespace. */
public record Header(String name, String value) {}
