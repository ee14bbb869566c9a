package org.hubsso.bench.floor;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;

/** The floor's one entity: a row written at every start (its table comes from a script, as the hub's from Flyway). */
@Entity
@Table(name = "floor_note")
public class FloorNote {

    @Id
    String id = UUID.randomUUID().toString();

    @Column(name = "started_at")
    long startedAt;

    protected FloorNote() {
    }

    FloorNote(long startedAt) {
        this.startedAt = startedAt;
    }
}
