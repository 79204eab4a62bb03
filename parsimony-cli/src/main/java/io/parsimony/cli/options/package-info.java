/**
 * Options that several command packages mix in (budget and shape of a search, depth, layouts,
 * data, recipe, run directory). They depend on {@code cli.output} only, never on a command.
 */
package io.parsimony.cli.options;
