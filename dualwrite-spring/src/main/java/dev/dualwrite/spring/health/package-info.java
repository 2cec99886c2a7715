/** The {@code dualwrite} health contributor: delivery to the new service, dead letters and backlog age per entity. */
package dev.dualwrite.spring.health;
