package io.mailtrail.sample.hub.security;

import io.mailtrail.spring.boot.autoconfigure.MailtrailUser;
import java.util.Collection;
import java.util.List;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;

/**
 * A signed-in user of the hub: a row of {@code users}. Implements {@link MailtrailUser}, so the
 * events a request causes carry this user's {@code user_id} and username: the attributed user is
 * always the authenticated one, and no header or cookie can change it.
 */
public record HubUser(int id, String username, String displayName, String password,
        List<GrantedAuthority> authorities) implements UserDetails, MailtrailUser {

    @Override
    public Integer mailtrailUserId() {
        return id;
    }

    @Override
    public String getUsername() {
        return username;
    }

    @Override
    public String getPassword() {
        return password;
    }

    @Override
    public Collection<? extends GrantedAuthority> getAuthorities() {
        return authorities;
    }

    /** Without the password hash, for {@code toString()} in logs. */
    @Override
    public String toString() {
        return "HubUser[" + id + ", " + username + "]";
    }
}
