package io.holdfast.hold;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.holdfast.availability.Occupancy;

/** A compact text form of hold items for Redis records: "staff,service,start,end,from,to;..." in epoch seconds. */
final class HoldItems {

    private HoldItems() {
    }

    static String encode(List<HoldItem> items) {
        StringBuilder text = new StringBuilder();
        for (HoldItem item : items) {
            if (text.length() > 0) {
                text.append(';');
            }
            text.append(item.staffId()).append(',').append(item.serviceId()).append(',')
                    .append(item.start().getEpochSecond()).append(',').append(item.end().getEpochSecond()).append(',')
                    .append(item.occupancy().from().getEpochSecond()).append(',')
                    .append(item.occupancy().to().getEpochSecond());
        }
        return text.toString();
    }

    static List<HoldItem> decode(String text) {
        List<HoldItem> items = new ArrayList<>();
        for (String part : text.split(";")) {
            String[] f = part.split(",");
            items.add(new HoldItem(Long.parseLong(f[0]), Long.parseLong(f[1]), Instant.ofEpochSecond(Long.parseLong(f[2])),
                    Instant.ofEpochSecond(Long.parseLong(f[3])), new Occupancy(Instant.ofEpochSecond(Long.parseLong(f[4])),
                            Instant.ofEpochSecond(Long.parseLong(f[5])))));
        }
        return items;
    }
}
