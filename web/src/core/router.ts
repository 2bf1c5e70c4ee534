// A small hash router: "#/thu-tuc/1.001193?tab=x" → pattern "/thu-tuc/:code", params {code},
// query {tab}. Hash routing lets the C++ static server serve index.html for "/" only.
//
// Routes are registered by pattern with a Preact component. Areas that are loaded on demand
// (the officer workspace "#/can-bo/…", administration "#/quan-tri/…") are registered with
// registerArea(prefix, load): the first visit under the prefix imports the area's module, whose
// top level calls registerRoute() for its own pages; the router then resolves again.
//
//   // src/officer/index.ts (loaded by import())
//   import { registerRoute } from '../core/router';
//   registerRoute('/can-bo', QueueHome, { titleKey: 'officer.title' });
//   registerRoute('/can-bo/ho-so/:code', DossierPage, { titleKey: 'officer.dossier.title' });
//
// A pattern segment ":name" matches one non-empty segment (decoded); a final "*" matches the
// rest. Among routes that match, the one registered with the most literal segments wins.
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';

export interface Route {
  path: string; // "/thu-tuc/1.001193"
  params: Record<string, string>;
  query: Record<string, string>;
}

export interface RouteProps {
  route: Route;
}

export interface RouteOptions {
  /** Message key of the page title (document.title is "<title> — <site>"). */
  titleKey?: string;
  /** Who may open the page: 'any' (default), 'signed-in', or a predicate on the session
   *  evaluated by the shell (see app/App.tsx). */
  access?: 'any' | 'signed-in' | 'citizen' | 'staff';
}

interface Entry {
  pattern: string;
  segments: string[];
  literal: number;
  component: ComponentType<RouteProps>;
  options: RouteOptions;
}

interface Area {
  prefix: string;
  load: () => Promise<unknown>;
  state: 'idle' | 'loading' | 'loaded' | 'failed';
  promise?: Promise<unknown>;
}

const entries: Entry[] = [];
const areas: Area[] = [];

function split(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

export function registerRoute(
  pattern: string,
  component: ComponentType<RouteProps>,
  options: RouteOptions = {},
): void {
  const segments = split(pattern);
  if (entries.some((e) => e.pattern === pattern)) {
    throw new Error(`router: route "${pattern}" registered twice`);
  }
  entries.push({
    pattern,
    segments,
    literal: segments.filter((s) => !s.startsWith(':') && s !== '*').length,
    component,
    options,
  });
}

/** Registers an area loaded on demand under prefix (e.g. "/can-bo"). */
export function registerArea(prefix: string, load: () => Promise<unknown>): void {
  areas.push({ prefix: prefix.replace(/\/$/, ''), load, state: 'idle' });
}

export function parseHash(hash: string): Route {
  let h = hash.startsWith('#') ? hash.slice(1) : hash;
  if (!h.startsWith('/')) h = '/' + h;
  const qi = h.indexOf('?');
  const pathPart = qi >= 0 ? h.slice(0, qi) : h;
  const query: Record<string, string> = {};
  if (qi >= 0) {
    for (const [k, v] of new URLSearchParams(h.slice(qi + 1))) query[k] = v;
  }
  const path = '/' + split(pathPart).join('/');
  return { path, params: {}, query };
}

export interface Match {
  entry: Entry;
  params: Record<string, string>;
}

function matchEntry(e: Entry, parts: string[]): Record<string, string> | null {
  const params: Record<string, string> = {};
  for (let i = 0; i < e.segments.length; i++) {
    const seg = e.segments[i];
    if (seg === '*') {
      params['*'] = parts.slice(i).join('/');
      return params;
    }
    if (i >= parts.length) return null;
    if (seg.startsWith(':')) {
      try {
        params[seg.slice(1)] = decodeURIComponent(parts[i]);
      } catch {
        return null;
      }
    } else if (seg !== parts[i]) {
      return null;
    }
  }
  return parts.length === e.segments.length ? params : null;
}

export function match(path: string): Match | null {
  const parts = split(path);
  let best: Match | null = null;
  for (const e of entries) {
    const params = matchEntry(e, parts);
    if (params && (!best || e.literal > best.entry.literal)) best = { entry: e, params };
  }
  return best;
}

function areaFor(path: string): Area | undefined {
  return areas.find((a) => path === a.prefix || path.startsWith(a.prefix + '/'));
}

/** Loads the area that owns path if it has not been loaded. Resolves when done (or at once). */
export function ensureArea(path: string): Promise<void> {
  const area = areaFor(path);
  if (!area || area.state === 'loaded') return Promise.resolve();
  if (!area.promise) {
    area.state = 'loading';
    area.promise = area.load().then(
      () => {
        area.state = 'loaded';
      },
      (e) => {
        area.state = 'failed';
        area.promise = undefined;
        throw e;
      },
    );
  }
  return area.promise.then(() => undefined);
}

export function areaState(path: string): Area['state'] | 'none' {
  return areaFor(path)?.state ?? 'none';
}

export function currentRoute(): Route {
  return parseHash(typeof location === 'undefined' ? '' : location.hash);
}

/** Goes to a path ("/ho-so/99501-260303-0001"); query values are encoded. */
export function navigate(path: string, query?: Record<string, string>, replace = false): void {
  const q = query ? new URLSearchParams(query).toString() : '';
  const target = '#' + path + (q ? '?' + q : '');
  if (replace) {
    history.replaceState(null, '', target);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else if (location.hash !== target) {
    location.hash = target;
  } else {
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  }
}

/** An href for a path: href('/thu-tuc/' + code). */
export function href(path: string, query?: Record<string, string>): string {
  const q = query ? new URLSearchParams(query).toString() : '';
  return '#' + path + (q ? '?' + q : '');
}

/** The current route; re-renders on every hash change. */
export function useRoute(): Route {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const on = () => setRoute(currentRoute());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}
