package org.hubsso.it;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.hubsso.hub.Account;
import org.hubsso.hub.AccountEmail;
import org.hubsso.hub.AccountService;

/**
 * Test-only: added to the test deployments, never to the product WAR. Marks an account's emails verified, the
 * way a completed verification mail would, so SSO tests can use fresh accounts.
 */
@WebServlet("/it-support/verify-emails")
public class TestSupportServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    AccountService accounts;

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse res) throws IOException {
        Account account = accounts.findByUsername(req.getParameter("username")).orElse(null);
        if (account == null) {
            res.sendError(404);
            return;
        }
        for (AccountEmail email : accounts.emails(account.getId())) {
            accounts.markVerified(account.getId(), email.getId());
        }
        res.setStatus(204);
    }
}
