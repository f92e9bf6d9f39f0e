package io.holdfast.hold.web;

import org.springframework.test.context.ActiveProfiles;

/** The admin release on a server without Redis: holds live in SQL only. */
@ActiveProfiles("h2")
class AdminReleaseOnSqlTest extends AdminReleaseContract {
}
