/**
 * The layout search timed beside the paper's brute-force enumeration in the same run
 * ({@code parsimony bench layout} parses its flags, calls {@link io.parsimony.search.bench.LayoutBench} and prints).
 */
package io.parsimony.search.bench;
