package io.tributary.translate;

import io.tributary.watch.WatchEvent;

/** A debounced watch event with its translation (null for DELETED and SYNCED). */
public record TranslatedEvent(WatchEvent event, Translation translation) {}
