/** Funnels: ordered, strict and unordered conversion with lambdas over per-person event arrays. */
package io.beacon.analytics.funnels;
