/**
 * The agent's implementation, loaded by {@code MailtrailAgent} through reflection once the
 * dispatcher is on the bootstrap path. The one entry point is {@link io.mailtrail.agent.internal.AgentInstaller#install};
 * everything else is package-private and shaded with the agent.
 */
package io.mailtrail.agent.internal;
