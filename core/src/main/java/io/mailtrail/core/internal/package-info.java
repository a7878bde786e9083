/** Implementation details of {@code mailtrail-core}; not API, may change without notice. */
package io.mailtrail.core.internal;
