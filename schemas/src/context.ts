import { z } from 'zod';

// Every context block is loose: senders add their own fields and the collector keeps them.
const text = z.string();
const num = z.number();

/** `context`, as in Segment's common fields, with every known block optional. */
export const ContextSchema = z
  .looseObject({
    active: z.boolean().optional(),
    app: z
      .looseObject({
        name: text.optional(),
        version: text.optional(),
        build: text.optional(),
        namespace: text.optional(),
      })
      .optional(),
    campaign: z
      .looseObject({
        name: text.optional(),
        source: text.optional(),
        medium: text.optional(),
        term: text.optional(),
        content: text.optional(),
      })
      .optional(),
    device: z
      .looseObject({
        id: text.optional(),
        advertisingId: text.optional(),
        adTrackingEnabled: z.boolean().optional(),
        manufacturer: text.optional(),
        model: text.optional(),
        name: text.optional(),
        type: text.optional(),
        token: text.optional(),
      })
      .optional(),
    ip: text.optional(),
    library: z.looseObject({ name: text, version: text.optional() }).optional(),
    locale: text.optional(),
    network: z
      .looseObject({
        bluetooth: z.boolean().optional(),
        carrier: text.optional(),
        cellular: z.boolean().optional(),
        wifi: z.boolean().optional(),
      })
      .optional(),
    os: z.looseObject({ name: text.optional(), version: text.optional() }).optional(),
    page: z
      .looseObject({
        path: text.optional(),
        referrer: text.optional(),
        search: text.optional(),
        title: text.optional(),
        url: text.optional(),
      })
      .optional(),
    referrer: z.looseObject({ id: text.optional(), type: text.optional() }).optional(),
    screen: z
      .looseObject({ density: num.optional(), height: num.optional(), width: num.optional() })
      .optional(),
    timezone: text.optional(),
    groupId: text.optional(),
    traits: z.record(z.string(), z.unknown()).optional(),
    userAgent: text.optional(),
  })
  .meta({ id: 'Context' });

/** The `context` object of an event. */
export type Context = z.infer<typeof ContextSchema>;
