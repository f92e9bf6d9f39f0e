package io.holdfast.catalog;

import java.util.List;

public record StaffMember(long id, String name, long locationId, List<Long> serviceIds) {

    public boolean offers(long serviceId) {
        return serviceIds.contains(serviceId);
    }
}
