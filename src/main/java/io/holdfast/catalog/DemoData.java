package io.holdfast.catalog;

import java.sql.SQLException;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * A small Berlin salon so that a fresh checkout shows something bookable: three staff, three services of
 * 30/45/60 minutes with buffers, Monday to Saturday 09:00-17:00 with a 12:00-13:00 break. Seeded only into an
 * empty catalogue, and by default only on the embedded H2 database (never into a production database unasked).
 */
@Component
class DemoData implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoData.class);

    private final Catalog catalog;
    private final CatalogChanges changes;
    private final DataSource dataSource;
    private final Boolean enabled;

    DemoData(Catalog catalog, CatalogChanges changes, DataSource dataSource, DemoDataSettings settings) {
        this.catalog = catalog;
        this.changes = changes;
        this.dataSource = dataSource;
        this.enabled = settings.demoData();
    }

    @Override
    public void run(ApplicationArguments args) throws SQLException {
        if (!wanted() || !catalog.locations().isEmpty()) {
            return;
        }
        Location salon = catalog.createLocation("Holdfast Demo Salon", ZoneId.of("Europe/Berlin"), 15,
                BookingRules.DEFAULTS);
        ServiceOffering cut = catalog.createService("Haircut", 30, 0, 10, 3500);
        ServiceOffering colour = catalog.createService("Beard trim & styling", 45, 5, 10, 4500);
        ServiceOffering treatment = catalog.createService("Colour treatment", 60, 10, 15, 8900);
        List<WorkingWindow> week = new ArrayList<>();
        for (DayOfWeek day : DayOfWeek.values()) {
            if (day != DayOfWeek.SUNDAY) {
                week.add(new WorkingWindow(day, LocalTime.of(9, 0), LocalTime.of(12, 0)));
                week.add(new WorkingWindow(day, LocalTime.of(13, 0), LocalTime.of(17, 0)));
            }
        }
        for (String name : List.of("Alex", "Sam", "Robin")) {
            StaffMember member = catalog.createStaff(name, salon.id(),
                    List.of(cut.id(), colour.id(), treatment.id()));
            changes.replaceWorkingHours(member.id(), week, false);
        }
        log.info("Seeded demo data: 1 location (Europe/Berlin), 3 services, 3 staff");
    }

    private boolean wanted() throws SQLException {
        if (enabled != null) {
            return enabled;
        }
        try (var connection = dataSource.getConnection()) {
            return connection.getMetaData().getURL().startsWith("jdbc:h2:");
        }
    }
}
