package io.tributary.diff;

import io.tributary.translate.Translation;
import io.tributary.watch.WatchEvent;

/** A debounced watch event with its translation (null for DELETED and SYNCED). */
public record TranslatedEvent(WatchEvent event, Translation translation) {}
