/** Campaign parameters kept, by the name they get in `context.campaign` (Segment's names). */
const UTM = {
  utm_source: 'source',
  utm_medium: 'medium',
  utm_campaign: 'name',
  utm_term: 'term',
  utm_content: 'content',
} as const;
/**
 * Ad click IDs: Google, Meta, Microsoft, TikTok, X, LinkedIn, Baidu, Tencent (web and WeChat
 * ads), Weibo.
 */
const CLICK_IDS = [
  'gclid',
  'gbraid',
  'wbraid',
  'fbclid',
  'msclkid',
  'ttclid',
  'twclid',
  'li_fat_id',
  'bd_vid',
  'gdt_vid',
  'qz_gdt',
  'weixinadinfo',
  'wb_clid',
];

/** The campaign found in query parameters (read through `param`); empty when there is none. */
export function campaignOf(param: (name: string) => unknown): Record<string, string> {
  const campaign: Record<string, string> = {};
  const keep = (name: string, value: unknown) => {
    if (typeof value === 'string' && value !== '') campaign[name] = value.slice(0, 200);
  };
  for (const [key, name] of Object.entries(UTM)) keep(name, param(key));
  for (const key of CLICK_IDS) keep(key, param(key));
  return campaign;
}
