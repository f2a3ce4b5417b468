package com.aiphoto.server.payments;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A membership plan as sold: price in cents, quota added, days of membership added. */
record Plan(String id, String name, @JsonProperty("amount") long amountCents, int quota, int durationDays) {}
