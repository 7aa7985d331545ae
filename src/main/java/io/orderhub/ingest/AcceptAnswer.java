package io.orderhub.ingest;

/** The HTTP answer to an accepted write, kept with its idempotency key so a repeat gets the same one. */
public record AcceptAnswer(int status, String body, String location, boolean replayed) {}
