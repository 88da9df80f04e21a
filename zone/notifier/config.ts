// The notifier's configuration: Alertmanager's own YAML (alertmanager.yml, 0.25), so an existing
// file works unchanged. Supported: global (resolve_timeout, slack_api_url, pagerduty_url),
// route (receiver, group_by incl. '...', group_wait, group_interval, repeat_interval, matchers,
// match, match_re, continue, routes), receivers (webhook_configs, slack_configs,
// pagerduty_configs), inhibit_rules (source_/target_ matchers, match, match_re; equal).
// Accepted but ignored, with a warning from the caller: templates, time intervals, http_config,
// other receiver kinds (email, opsgenie, …). Errors name the file and the key.
import { readFileSync } from 'node:fs';
import { ConfigReader, loadYamlFile, parseYaml } from '../../shared/config/index.ts';
import { CanopyError } from '../../shared/errors.ts';
import type { Matcher } from '../../shared/matchers.ts';
import { Matcher as M } from '../../shared/matchers.ts';
import { parseMatchers } from './label-matchers.ts';
import { Template } from '../../shared/rulefmt/index.ts';
import { NAMED_TEMPLATES } from './notification.ts';

export interface RouteConfig {
  receiver: string;
  /** undefined = all labels ('...'). */
  groupBy: string[] | undefined;
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
  matchers: Matcher[];
  continue: boolean;
  routes: RouteConfig[];
}

export interface WebhookConfig {
  kind: 'webhook';
  url: string;
  sendResolved: boolean;
  maxAlerts: number;
}
export interface SlackConfig {
  kind: 'slack';
  url: string;
  sendResolved: boolean;
  channel: string;
  username: string;
  title: string;
  text: string;
}
export interface PagerDutyConfig {
  kind: 'pagerduty';
  url: string;
  sendResolved: boolean;
  routingKey: string;
  severity: string;
  client: string;
  clientURL: string;
  description: string;
}
export type IntegrationConfig = WebhookConfig | SlackConfig | PagerDutyConfig;

export interface ReceiverConfig {
  name: string;
  integrations: IntegrationConfig[];
}

export interface InhibitRuleConfig {
  source: Matcher[];
  target: Matcher[];
  equal: string[];
}

export interface NotifierConfig {
  file: string;
  original: string;
  resolveTimeoutMs: number;
  route: RouteConfig;
  receivers: Map<string, ReceiverConfig>;
  inhibitRules: InhibitRuleConfig[];
  /** Keys read but not acted on, for one warning at start. */
  ignored: string[];
}

const IGNORED_RECEIVER_KINDS = [
  'email_configs',
  'opsgenie_configs',
  'pushover_configs',
  'victorops_configs',
  'wechat_configs',
  'sns_configs',
  'telegram_configs',
  'discord_configs',
  'webex_configs',
];

function matcherList(r: ConfigReader, prefix: string): Matcher[] {
  const out: Matcher[] = [];
  const mkey = prefix ? `${prefix}_matchers` : 'matchers';
  for (const [i, s] of r.strings(mkey).entries())
    out.push(...parseMatchers(s, `${r.file}: key "${r.keyPath(mkey)}[${i}]"`));
  const match = r.stringMap(prefix ? `${prefix}_match` : 'match');
  for (const [k, v] of Object.entries(match)) out.push(new M('=', k, v));
  const re = r.stringMap(prefix ? `${prefix}_match_re` : 'match_re');
  for (const [k, v] of Object.entries(re)) {
    try {
      out.push(new M('=~', k, v, 'alertmanager'));
    } catch (e) {
      r.fail(
        `${prefix ? `${prefix}_match_re` : 'match_re'}.${k}`,
        `a valid regular expression (${(e as Error).message})`,
      );
    }
  }
  return out;
}

function parseRoute(r: ConfigReader, parent: RouteConfig | undefined, ignored: string[]): RouteConfig {
  const groupByRaw = r.has('group_by') ? r.strings('group_by') : undefined;
  const route: RouteConfig = {
    receiver: r.string('receiver', parent?.receiver ?? ''),
    groupBy:
      groupByRaw === undefined
        ? parent
          ? parent.groupBy
          : []
        : groupByRaw.includes('...')
          ? undefined
          : groupByRaw,
    groupWaitMs: r.durationMs('group_wait', parent?.groupWaitMs ?? 30_000),
    groupIntervalMs: r.durationMs('group_interval', parent?.groupIntervalMs ?? 300_000),
    repeatIntervalMs: r.durationMs('repeat_interval', parent?.repeatIntervalMs ?? 4 * 3_600_000),
    matchers: matcherList(r, ''),
    continue: r.bool('continue', false),
    routes: [],
  };
  if (!parent && route.receiver === '') r.fail('receiver', 'a receiver name (required on the root route)');
  if (!parent && route.matchers.length > 0) r.fail('matchers', 'no matchers on the root route');
  if (groupByRaw?.includes('...') && groupByRaw.length > 1)
    r.fail('group_by', "either '...' alone or a list of label names");
  if (route.groupIntervalMs <= 0) r.fail('group_interval', 'a positive duration');
  if (route.repeatIntervalMs <= 0) r.fail('repeat_interval', 'a positive duration');
  for (const k of ['mute_time_intervals', 'active_time_intervals'])
    if (r.raw(k) !== undefined) ignored.push(r.keyPath(k));
  route.routes = r.list('routes').map((c) => parseRoute(c, route, ignored));
  r.done();
  return route;
}

/** Notifier templates are compiled at load so a broken one fails the config, not a page. */
function checkTemplate(r: ConfigReader, key: string): void {
  if (!r.has(key)) return;
  const v = r.string(key);
  try {
    new Template(v, `${r.file}: key "${r.keyPath(key)}"`, NAMED_TEMPLATES);
  } catch (e) {
    throw new CanopyError('config_invalid', (e as Error).message);
  }
}

function parseIntegration(
  kind: string,
  r: ConfigReader,
  global: { slackURL: string; pagerdutyURL: string },
  ignored: string[],
): IntegrationConfig {
  if (r.raw('http_config') !== undefined) ignored.push(r.keyPath('http_config'));
  let out: IntegrationConfig;
  if (kind === 'webhook') {
    out = {
      kind,
      url: r.url('url'),
      sendResolved: r.bool('send_resolved', true),
      maxAlerts: r.number('max_alerts', 0, { min: 0, integer: true }),
    };
  } else if (kind === 'slack') {
    for (const k of ['title', 'text']) checkTemplate(r, k);
    const url = r.has('api_url') ? r.url('api_url') : (r.raw('api_url'), global.slackURL);
    if (!url) r.fail('api_url', 'a URL (no global slack_api_url is set)');
    out = {
      kind,
      url,
      sendResolved: r.bool('send_resolved', false),
      channel: r.string('channel', ''),
      username: r.string('username', 'Canopy'),
      title: r.string('title', ''),
      text: r.string('text', ''),
    };
    for (const k of [
      'icon_emoji',
      'icon_url',
      'color',
      'title_link',
      'pretext',
      'footer',
      'fallback',
      'callback_id',
      'fields',
      'actions',
      'short_fields',
      'link_names',
      'mrkdwn_in',
      'image_url',
      'thumb_url',
      'api_url_file',
    ])
      if (r.raw(k) !== undefined) ignored.push(r.keyPath(k));
  } else {
    checkTemplate(r, 'description');
    const routingKey = r.string('routing_key', '');
    const serviceKey = r.string('service_key', '');
    if (!routingKey && !serviceKey) r.fail('routing_key', 'a routing key (Events API v2)');
    out = {
      kind: 'pagerduty',
      url: r.has('url') ? r.url('url') : (r.raw('url'), global.pagerdutyURL),
      sendResolved: r.bool('send_resolved', true),
      routingKey: routingKey || serviceKey,
      severity: r.string('severity', 'error'),
      client: r.string('client', 'Canopy'),
      clientURL: r.string('client_url', ''),
      description: r.string('description', ''),
    };
    for (const k of [
      'details',
      'images',
      'links',
      'class',
      'component',
      'group',
      'source',
      'routing_key_file',
      'service_key_file',
    ])
      if (r.raw(k) !== undefined) ignored.push(r.keyPath(k));
  }
  r.done();
  return out;
}

export function parseNotifierConfig(file: string, text?: string): NotifierConfig {
  const raw = text === undefined ? loadYamlFile(file) : parseYaml(file, text);
  const original = text ?? readText(file);
  const r = new ConfigReader(file, raw);
  const ignored: string[] = [];
  const g = r.object('global');
  const resolveTimeoutMs = g.durationMs('resolve_timeout', 300_000);
  const global = {
    slackURL: g.has('slack_api_url') ? g.url('slack_api_url') : (g.raw('slack_api_url'), ''),
    pagerdutyURL: g.has('pagerduty_url')
      ? g.url('pagerduty_url')
      : (g.raw('pagerduty_url'), 'https://events.pagerduty.com/v2/enqueue'),
  };
  for (const k of Object.keys((raw as Record<string, unknown>).global ?? {})) {
    if (['resolve_timeout', 'slack_api_url', 'pagerduty_url'].includes(k)) continue;
    g.raw(k);
    ignored.push(`global.${k}`);
  }
  g.done();
  const receivers = new Map<string, ReceiverConfig>();
  for (const rr of r.list('receivers')) {
    const name = rr.string('name');
    if (receivers.has(name)) rr.fail('name', `a unique receiver name ("${name}" is repeated)`);
    const integrations: IntegrationConfig[] = [];
    for (const kind of ['webhook', 'slack', 'pagerduty'])
      for (const c of rr.list(`${kind}_configs`))
        integrations.push(parseIntegration(kind, c, global, ignored));
    for (const k of IGNORED_RECEIVER_KINDS) if (rr.raw(k) !== undefined) ignored.push(`${rr.path}.${k}`);
    rr.done();
    receivers.set(name, { name, integrations });
  }
  if (!r.has('route')) r.fail('route', 'a route (required)');
  const route = parseRoute(r.object('route'), undefined, ignored);
  const check = (rt: RouteConfig, path: string): void => {
    if (!receivers.has(rt.receiver))
      throw new CanopyError(
        'config_invalid',
        `${file}: key "${path}.receiver": undefined receiver "${rt.receiver}" used in route`,
      );
    rt.routes.forEach((c, i) => check(c, `${path}.routes[${i}]`));
  };
  check(route, 'route');
  const inhibitRules = r.list('inhibit_rules').map((ir) => {
    const rule = {
      source: matcherList(ir, 'source'),
      target: matcherList(ir, 'target'),
      equal: ir.strings('equal'),
    };
    ir.done();
    return rule;
  });
  for (const k of ['templates', 'time_intervals', 'mute_time_intervals'])
    if (r.raw(k) !== undefined) ignored.push(k);
  r.done();
  return { file, original, resolveTimeoutMs, route, receivers, inhibitRules, ignored };
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** The notifier with no configuration: no routes to anywhere (alerts are kept and served). */
export function emptyNotifierConfig(): NotifierConfig {
  return parseNotifierConfig('<default>', 'route:\n  receiver: blackhole\nreceivers:\n  - name: blackhole\n');
}
