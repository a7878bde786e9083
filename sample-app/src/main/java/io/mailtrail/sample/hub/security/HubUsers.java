package io.mailtrail.sample.hub.security;

import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;

/**
 * The hub's users from its {@code users} table. The demo users alice, bjorn and carla sign in with
 * the passwords {@code alice-demo}, {@code bjorn-demo} and {@code carla-demo} (hashed once at
 * start-up; a real hub keeps hashes in its user store). Every user may read the activity log
 * ({@code ROLE_USER}, the hub's {@code mailtrail.web.read-authority}); alice also sees exception
 * details ({@code ROLE_MAILTRAIL_DETAILS}).
 */
@Service
public class HubUsers implements UserDetailsService {

    static final Map<String, String> DEMO_PASSWORDS = Map.of("alice", "alice-demo", "bjorn", "bjorn-demo",
            "carla", "carla-demo");
    private static final GrantedAuthority USER = new SimpleGrantedAuthority("ROLE_USER");
    private static final GrantedAuthority DETAILS = new SimpleGrantedAuthority("ROLE_MAILTRAIL_DETAILS");

    private final JdbcClient jdbc;
    private final Map<String, String> hashes;

    public HubUsers(JdbcClient jdbc, PasswordEncoder encoder) {
        this.jdbc = jdbc;
        this.hashes = Map.of("alice", encoder.encode(DEMO_PASSWORDS.get("alice")),
                "bjorn", encoder.encode(DEMO_PASSWORDS.get("bjorn")),
                "carla", encoder.encode(DEMO_PASSWORDS.get("carla")));
    }

    @Override
    public HubUser loadUserByUsername(String username) {
        String hash = hashes.get(username);
        if (hash == null) {
            throw new UsernameNotFoundException("no such user");
        }
        return jdbc.sql("SELECT id, username, COALESCE(full_name, username) AS display FROM users WHERE username = ?")
                .param(username)
                .query((rs, n) -> new HubUser(rs.getInt("id"), rs.getString("username"), rs.getString("display"), hash,
                        username.equals("alice") ? List.of(USER, DETAILS) : List.of(USER)))
                .optional().orElseThrow(() -> new UsernameNotFoundException("no such user"));
    }
}
