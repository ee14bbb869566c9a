/**
 * The platform floor of the start-up and floor-requests benchmarks: a WAR that uses what the hub uses of Jakarta EE and MicroProfile on
 * Payara Micro (a {@code @DataSourceDefinition} on embedded H2, JPA with JTA, CDI, an EJB timer, a Faces page, a
 * readiness check, a distributable web module) with none of the hub's own code or libraries. Its start time is what
 * any application built this way pays; {@code AppBenchmarks} compares the hub with it, rung by rung (the parts added one
 * at a time), and with an empty WAR, and measures the CPU one request of its page costs.
 */
package org.hubsso.bench.floor;
