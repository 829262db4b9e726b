/**
 * The optimizer's passes over the forward-and-gradient graph, each in its own file with its own tests.
 */
package dev.adjoint.compiler.opt;
