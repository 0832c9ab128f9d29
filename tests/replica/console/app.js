// Astra console replica: a vanilla single-page app. Routes change through the history API, like the real console.
'use strict';

(() => {
  const API = 'https://api.astra.datastax.com';
  const ORG_QUERY = `query bootstrap {
  currentOrg { id name }
  roles { id name }
  databases { id name status dbType tier keyspace cloudProvider createdAt datacenters { id name region cloudProvider status } }
}`;
  const BUNDLES_QUERY = `query dbBundles($databaseId: ID!) {
  secureBundles(databaseId: $databaseId) { region datacenterID downloadURL downloadURLInternal downloadURLMigrationProxy downloadURLMigrationProxyInternal }
}`;
  const GENERATE_TOKEN_FULL = `mutation generateToken($input: GenerateTokenInput!) {
  generateToken(input: $input) { clientId secret token orgId roles generatedOn }
}`;
  const GENERATE_TOKEN_ONLY = `mutation generateToken($input: GenerateTokenInput!) {
  generateToken(input: $input) { token }
}`;

  const app = { org: null, roles: [], databases: [], scope: new AbortController(), booted: false };
  let idCounter = 0;
  const uid = (prefix) => `${prefix}-${++idCounter}`;

  // ---------- DOM helpers ----------
  function h(tag, props, ...children) {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === 'class') el.className = value;
      else if (key === 'text') el.textContent = value;
      else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2).toLowerCase(), value);
      else if (key === 'value') el.value = value;
      else el.setAttribute(key, value === true ? '' : String(value));
    }
    add(el, children);
    return el;
  }
  function add(el, children) {
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      el.append(child instanceof Node ? child : String(child));
    }
    return el;
  }

  const ICONS = {
    copy: 'M16 1H4c-1.1 0-2 .9-2 2v14h2V3h12V1zm3 4H8c-1.1 0-2 .9-2 2v14c0 1.1.9 2 2 2h11c1.1 0 2-.9 2-2V7c0-1.1-.9-2-2-2zm0 16H8V7h11v14z',
    more: 'M12 8c1.1 0 2-.9 2-2s-.9-2-2-2-2 .9-2 2 .9 2 2 2zm0 2c-1.1 0-2 .9-2 2s.9 2 2 2 2-.9 2-2-.9-2-2-2zm0 6c-1.1 0-2 .9-2 2s.9 2 2 2 2-.9 2-2-.9-2-2-2z',
    database:
      'M2 20h20v-4H2v4zm2-3h2v2H4v-2zM2 4v4h20V4H2zm4 3H4V5h2v2zm-4 7h20v-4H2v4zm2-3h2v2H4v-2z',
    dashboard: 'M3 13h8V3H3v10zm0 8h8v-6H3v6zm10 0h8V11h-8v10zm0-18v6h8V3h-8z',
    settings:
      'M19.14 12.94c.04-.3.06-.61.06-.94 0-.32-.02-.64-.07-.94l2.03-1.58a.49.49 0 0 0 .12-.61l-1.92-3.32a.49.49 0 0 0-.59-.22l-2.39.96c-.5-.38-1.03-.7-1.62-.94l-.36-2.54a.48.48 0 0 0-.48-.41h-3.84c-.24 0-.43.17-.47.41l-.36 2.54c-.59.24-1.13.57-1.62.94l-2.39-.96a.48.48 0 0 0-.59.22L2.74 8.87c-.12.21-.08.47.12.61l2.03 1.58c-.05.3-.09.63-.09.94s.02.64.07.94l-2.03 1.58a.49.49 0 0 0-.12.61l1.92 3.32c.12.22.37.29.59.22l2.39-.96c.5.38 1.03.7 1.62.94l.36 2.54c.05.24.24.41.48.41h3.84c.24 0 .44-.17.47-.41l.36-2.54c.59-.24 1.13-.56 1.62-.94l2.39.96c.22.08.47 0 .59-.22l1.92-3.32c.12-.22.07-.47-.12-.61l-2.01-1.58zM12 15.6A3.6 3.6 0 1 1 12 8.4a3.6 3.6 0 0 1 0 7.2z',
    key: 'M12.65 10A6 6 0 1 0 7 18a6 6 0 0 0 5.65-4H17v4h4v-4h2v-4H12.65zM7 14a2 2 0 1 1 0-4 2 2 0 0 1 0 4z',
    download: 'M19 9h-4V3H9v6H5l7 7 7-7zM5 18v2h14v-2H5z',
    warning: 'M1 21h22L12 2 1 21zm12-3h-2v-2h2v2zm0-4h-2v-4h2v4z',
    info: 'M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm1 15h-2v-6h2v6zm0-8h-2V7h2v2z',
    timer:
      'M15 1H9v2h6V1zm-4 13h2V8h-2v6zm8.03-6.61 1.42-1.42c-.43-.51-.9-.99-1.41-1.41l-1.42 1.42A8.96 8.96 0 0 0 12 4a9 9 0 1 0 9 9c0-2.12-.74-4.07-1.97-5.61zM12 20a7 7 0 1 1 0-14 7 7 0 0 1 0 14z',
    check: 'M9 16.17 4.83 12l-1.42 1.41L9 19 21 7l-1.41-1.41z',
    chevron: 'M10 6 8.59 7.41 13.17 12l-4.58 4.59L10 18l6-6z',
    book: 'M18 2H6c-1.1 0-2 .9-2 2v16c0 1.1.9 2 2 2h12c1.1 0 2-.9 2-2V4c0-1.1-.9-2-2-2zM6 4h5v8l-2.5-1.5L6 12V4z',
  };
  function icon(name, cls = '') {
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    svg.setAttribute('class', `astra-MuiSvgIcon-root ${cls}`.trim());
    const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
    path.setAttribute('d', ICONS[name]);
    svg.append(path);
    return svg;
  }

  function button(label, props = {}, variant = 'contained') {
    const { icon: iconName, class: extraClass = '', ...rest } = props;
    return h(
      'button',
      { type: 'button', class: `astra-MuiButton-root astra-MuiButton-${variant} ${extraClass}`.trim(), ...rest },
      iconName ? icon(iconName, 'astra-MuiButton-startIcon') : null,
      label,
    );
  }
  function iconButton(iconName, label, props = {}) {
    const { class: extraClass = '', ...rest } = props;
    return h('button', { type: 'button', class: `astra-MuiIconButton-root ${extraClass}`.trim(), 'aria-label': label, title: label, ...rest }, icon(iconName));
  }
  function card(title, ...children) {
    const headingId = uid('card');
    return h(
      'section',
      { class: 'astra-MuiPaper-root astra-MuiCard-root', 'aria-labelledby': headingId },
      h('h2', { class: 'astra-MuiTypography-h6 astra-card-title', id: headingId }, title),
      ...children,
    );
  }
  function alertBox(severity, ...children) {
    return h(
      'div',
      { class: `astra-MuiAlert-root astra-MuiAlert-standard${severity[0].toUpperCase()}${severity.slice(1)}` },
      icon(severity === 'error' || severity === 'warning' ? 'warning' : 'info', 'astra-MuiAlert-icon'),
      h('div', { class: 'astra-MuiAlert-message' }, ...children),
    );
  }
  function statusChip(status) {
    const active = status === 'ACTIVE';
    return h(
      'span',
      { class: `astra-MuiChip-root astra-MuiChip-${active ? 'colorSuccess' : 'colorWarning'}` },
      h('span', { class: 'astra-status-dot', 'aria-hidden': 'true' }),
      active ? 'Active' : status[0] + status.slice(1).toLowerCase(),
    );
  }

  // ---------- feedback ----------
  let snackTimer;
  function snack(message) {
    const el = document.getElementById('astra-snackbar');
    el.textContent = message;
    el.classList.add('astra-snackbar-open');
    clearTimeout(snackTimer);
    snackTimer = setTimeout(() => el.classList.remove('astra-snackbar-open'), 2600);
  }

  async function copyText(text) {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      const area = h('textarea', { class: 'astra-visually-hidden', 'aria-hidden': 'true' });
      area.value = text;
      document.body.append(area);
      area.select();
      document.execCommand('copy');
      area.remove();
    }
    snack('Copied to clipboard');
  }
  function copyButton(getText, label = 'Copy') {
    return iconButton('copy', label, { class: 'astra-copy-button', onclick: () => copyText(getText()) });
  }
  function codeBox(text, copyLabel = 'Copy', extraClass = '') {
    const code = h('code', {}, text);
    return h(
      'div',
      { class: `astra-code-box ${extraClass}`.trim() },
      h('pre', { class: 'astra-code' }, code),
      copyButton(() => code.textContent, copyLabel),
    );
  }

  // ---------- network ----------
  function failureMessage(body, status) {
    const first = body && Array.isArray(body.errors) ? body.errors[0] : undefined;
    return (first && (first.message || first.description)) || `The request failed (HTTP ${status}).`;
  }
  async function gql(operationName, query, variables = {}) {
    const res = await fetch('/api/v2/graphql', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ operationName, variables, query }),
    });
    const body = await res.json().catch(() => null);
    if (!res.ok || !body || (body.errors && body.errors.length > 0)) throw new Error(failureMessage(body, res.status));
    return body.data;
  }
  async function devopsFetch(method, path) {
    const res = await fetch(`${API}${path}`, { method, credentials: 'include', headers: { accept: 'application/json' } });
    const body = await res.json().catch(() => null);
    if (!res.ok) throw new Error(failureMessage(body, res.status));
    return body;
  }
  function devopsXhr(method, path, payload) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open(method, `${API}${path}`);
      xhr.withCredentials = true;
      xhr.setRequestHeader('Content-Type', 'application/json');
      xhr.setRequestHeader('Accept', 'application/json');
      xhr.onload = () => {
        let body = null;
        try {
          body = JSON.parse(xhr.responseText);
        } catch {
          // an empty or non-JSON body: reported below through the status
        }
        if (xhr.status >= 200 && xhr.status < 300) resolve(body);
        else reject(new Error(failureMessage(body, xhr.status)));
      };
      xhr.onerror = () => reject(new Error('The network request failed.'));
      xhr.send(JSON.stringify(payload));
    });
  }

  // ---------- bundle links ----------
  function linkExpiry(url) {
    try {
      const params = new URL(url).searchParams;
      const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(params.get('X-Amz-Date') || '');
      const lifetime = Number(params.get('X-Amz-Expires'));
      if (!m || !Number.isFinite(lifetime)) return null;
      return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) + lifetime * 1000;
    } catch {
      return null;
    }
  }
  function fileNameOf(url) {
    try {
      return decodeURIComponent(new URL(url).pathname.split('/').pop() || 'secure-connect.zip');
    } catch {
      return 'secure-connect.zip';
    }
  }
  function minutesSeconds(ms) {
    const total = Math.max(0, Math.floor(ms / 1000));
    return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
  }
  function navigateTo(url) {
    const a = h('a', { href: url, class: 'astra-visually-hidden' });
    document.body.append(a);
    a.click();
    a.remove();
  }

  // ---------- dialogs and menus ----------
  const FOCUSABLE = 'a[href], button:not([disabled]), select:not([disabled]), input:not([disabled]), textarea, [tabindex]:not([tabindex="-1"])';

  // returnFocus: the control that opened the dialog (it may be disabled while busy, so activeElement is not it).
  function openDialog({ title, body, actions, className = '', onClose, returnFocus }) {
    const opener = returnFocus || document.activeElement;
    const titleId = uid('dialog-title');
    const paper = h(
      'div',
      { class: `astra-MuiPaper-root astra-MuiDialog-paper ${className}`.trim(), role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': titleId, tabindex: '-1' },
      h('h2', { class: 'astra-MuiDialogTitle-root', id: titleId }, title),
      h('div', { class: 'astra-MuiDialogContent-root' }, body),
      h('div', { class: 'astra-MuiDialogActions-root' }, actions),
    );
    const root = h(
      'div',
      { class: 'astra-MuiDialog-root astra-MuiModal-root' },
      h('div', { class: 'astra-MuiBackdrop-root', 'aria-hidden': 'true', onclick: () => close() }),
      h('div', { class: 'astra-MuiDialog-container' }, paper),
    );
    const appRoot = document.getElementById('root');
    let closed = false;
    function close() {
      if (closed) return;
      closed = true;
      root.remove();
      appRoot.removeAttribute('aria-hidden');
      document.body.classList.remove('astra-modal-open');
      app.scope.signal.removeEventListener('abort', close);
      if (onClose) onClose();
      if (opener && opener.isConnected && typeof opener.focus === 'function') opener.focus();
    }
    root.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.stopPropagation();
        close();
      } else if (event.key === 'Tab') {
        const items = [...paper.querySelectorAll(FOCUSABLE)].filter((el) => el.offsetParent !== null);
        if (items.length === 0) return;
        const first = items[0];
        const last = items[items.length - 1];
        if (event.shiftKey && (document.activeElement === first || document.activeElement === paper)) {
          event.preventDefault();
          last.focus();
        } else if (!event.shiftKey && document.activeElement === last) {
          event.preventDefault();
          first.focus();
        }
      }
    });
    app.scope.signal.addEventListener('abort', close);
    document.body.append(root);
    document.body.classList.add('astra-modal-open');
    appRoot.setAttribute('aria-hidden', 'true');
    paper.focus();
    return { close, paper };
  }

  function moreMenu(label, items) {
    const menuId = uid('menu');
    const trigger = iconButton('more', label, { 'aria-haspopup': 'menu', 'aria-expanded': 'false', 'aria-controls': menuId });
    const wrap = h('div', { class: 'astra-menu-anchor' }, trigger);
    let menu = null;
    function closeMenu(refocus) {
      if (!menu) return;
      menu.remove();
      menu = null;
      trigger.setAttribute('aria-expanded', 'false');
      document.removeEventListener('mousedown', outside, true);
      if (refocus) trigger.focus();
    }
    function outside(event) {
      if (menu && !wrap.contains(event.target)) closeMenu(false);
    }
    function openMenu() {
      const entries = items.map(({ label: text, icon: iconName, action }) =>
        h(
          'li',
          {
            role: 'menuitem',
            tabindex: '-1',
            class: 'astra-MuiMenuItem-root',
            onclick: () => {
              closeMenu(true);
              action();
            },
            onkeydown: (event) => {
              if (event.key === 'Enter' || event.key === ' ') {
                event.preventDefault();
                event.currentTarget.click();
              }
            },
          },
          iconName ? icon(iconName, 'astra-MuiListItemIcon-root') : null,
          text,
        ),
      );
      menu = h('ul', { class: 'astra-MuiPaper-root astra-MuiMenu-paper astra-MuiMenu-list', role: 'menu', id: menuId, 'aria-label': label }, entries);
      menu.addEventListener('keydown', (event) => {
        const index = entries.indexOf(document.activeElement);
        if (event.key === 'ArrowDown') entries[(index + 1) % entries.length].focus();
        else if (event.key === 'ArrowUp') entries[(index - 1 + entries.length) % entries.length].focus();
        else if (event.key === 'Home') entries[0].focus();
        else if (event.key === 'End') entries[entries.length - 1].focus();
        else if (event.key === 'Escape') closeMenu(true);
        else if (event.key === 'Tab') closeMenu(false);
        else return;
        event.preventDefault();
        event.stopPropagation();
      });
      wrap.append(menu);
      trigger.setAttribute('aria-expanded', 'true');
      document.addEventListener('mousedown', outside, true);
      entries[0].focus();
    }
    trigger.addEventListener('click', () => (menu ? closeMenu(true) : openMenu()));
    trigger.addEventListener('keydown', (event) => {
      if (event.key === 'ArrowDown' && !menu) {
        event.preventDefault();
        openMenu();
      }
    });
    app.scope.signal.addEventListener('abort', () => closeMenu(false));
    return wrap;
  }

  function busy(btn, on) {
    btn.disabled = on;
    btn.setAttribute('aria-busy', on ? 'true' : 'false');
  }

  // ---------- layout ----------
  function layout() {
    const orgPath = `/org/${app.org.id}`;
    const navLink = (href, iconName, label, match) =>
      h('li', {}, h('a', { href, class: 'astra-MuiListItemButton-root astra-nav-link', 'data-match': match }, icon(iconName), h('span', {}, label)));
    const dbLinks = app.databases.map((db) =>
      h('li', {}, h('a', { href: `${orgPath}/database/${db.id}`, class: 'astra-MuiListItemButton-root astra-nav-sublink', 'data-match': `${orgPath}/database/${db.id}` }, db.name)),
    );
    return h(
      'div',
      { class: 'astra-layout' },
      h('a', { href: '#main', class: 'astra-skip-link' }, 'Skip to content'),
      h(
        'header',
        { class: 'astra-MuiAppBar-root astra-topbar' },
        h(
          'a',
          { href: orgPath, class: 'astra-brand' },
          h('span', { class: 'astra-logo', 'aria-hidden': 'true' }),
          h('span', { class: 'astra-brand-name' }, h('strong', {}, 'DataStax'), ' Astra DB'),
        ),
        h('div', { class: 'astra-topbar-spacer' }),
        h('div', { class: 'astra-org-switch' }, h('span', { class: 'astra-org-label' }, 'Organization'), h('span', { class: 'astra-org-name' }, app.org.name)),
        h('span', { class: 'astra-MuiAvatar-root', 'aria-hidden': 'true' }, 'JD'),
      ),
      h(
        'nav',
        { class: 'astra-MuiDrawer-paper astra-sidenav', 'aria-label': 'Main' },
        h(
          'ul',
          { class: 'astra-MuiList-root' },
          navLink(orgPath, 'dashboard', 'Databases', `${orgPath}$`),
          h('li', {}, h('ul', { class: 'astra-MuiList-root astra-nav-sublist', 'aria-label': 'Databases' }, dbLinks)),
          navLink(`${orgPath}/settings/tokens`, 'settings', 'Settings', `${orgPath}/settings`),
        ),
        h('p', { class: 'astra-nav-footer' }, 'Local replica of the Astra console'),
      ),
      h('main', { id: 'main', class: 'astra-main', tabindex: '-1' }),
      h('div', { id: 'astra-snackbar', class: 'astra-MuiSnackbar-root', role: 'status', 'aria-live': 'polite' }),
    );
  }

  function markNav() {
    const path = location.pathname.replace(/\/+$/, '');
    for (const link of document.querySelectorAll('.astra-sidenav a[data-match]')) {
      const match = link.getAttribute('data-match');
      const exact = match.endsWith('$');
      const base = exact ? match.slice(0, -1) : match;
      const on = exact ? path === base : path === base || path.startsWith(`${base}/`);
      link.classList.toggle('astra-Mui-selected', on);
      if (on) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
  }

  function pageHeader(title, ...extra) {
    return h('div', { class: 'astra-page-header' }, h('h1', { class: 'astra-MuiTypography-h4', tabindex: '-1' }, title), ...extra);
  }

  // ---------- pages ----------
  function providerName(code) {
    return { AWS: 'Amazon Web Services', GCP: 'Google Cloud', AZURE: 'Microsoft Azure' }[code] || code;
  }
  function formatDate(iso) {
    return new Date(iso).toLocaleDateString('en-US', { year: 'numeric', month: 'short', day: 'numeric' });
  }
  function dbType(db) {
    return db.dbType === 'vector' ? 'Serverless (Vector)' : db.tier === 'serverless' ? 'Serverless (Non-Vector)' : 'Classic';
  }

  function orgHome() {
    document.title = 'Databases | Astra DB';
    const rows = app.databases.map((db) =>
      h(
        'tr',
        { class: 'astra-MuiTableRow-root' },
        h('th', { scope: 'row', class: 'astra-MuiTableCell-root' }, h('a', { href: `/org/${app.org.id}/database/${db.id}`, class: 'astra-MuiLink-root' }, db.name)),
        h('td', { class: 'astra-MuiTableCell-root' }, statusChip(db.status)),
        h('td', { class: 'astra-MuiTableCell-root' }, dbType(db)),
        h('td', { class: 'astra-MuiTableCell-root' }, providerName(db.cloudProvider)),
        h('td', { class: 'astra-MuiTableCell-root' }, db.datacenters.map((dc) => dc.region).join(', ')),
      ),
    );
    return [
      pageHeader('Databases', h('p', { class: 'astra-page-subtitle' }, `${app.databases.length} databases in ${app.org.name}`)),
      h(
        'div',
        { class: 'astra-MuiPaper-root astra-MuiTableContainer-root' },
        h(
          'table',
          { class: 'astra-MuiTable-root' },
          h('caption', { class: 'astra-visually-hidden' }, 'Databases'),
          h(
            'thead',
            {},
            h('tr', {}, ['Name', 'Status', 'Type', 'Provider', 'Regions'].map((c) => h('th', { scope: 'col', class: 'astra-MuiTableCell-head' }, c))),
          ),
          h('tbody', {}, rows),
        ),
      ),
      h('p', { class: 'astra-hint' }, 'Application tokens for all databases are on the ', h('a', { href: `/org/${app.org.id}/settings/tokens`, class: 'astra-MuiLink-root' }, 'Tokens'), ' page.'),
    ];
  }

  function databaseHeader(db, activeTab) {
    const base = `/org/${app.org.id}/database/${db.id}`;
    const tabs =
      db.dbType === 'vector'
        ? null
        : h(
            'nav',
            { class: 'astra-MuiTabs-root', 'aria-label': 'Database' },
            [
              ['Overview', base],
              ['Connect', `${base}/connect`],
            ].map(([label, href]) =>
              h('a', { href, class: `astra-MuiTab-root${label === activeTab ? ' astra-Mui-selected' : ''}`, 'aria-current': label === activeTab ? 'page' : null }, label),
            ),
          );
    return [
      h(
        'nav',
        { class: 'astra-MuiBreadcrumbs-root', 'aria-label': 'Breadcrumb' },
        h('ol', {}, h('li', {}, h('a', { href: `/org/${app.org.id}`, class: 'astra-MuiLink-root' }, 'Databases')), h('li', { 'aria-current': 'page' }, db.name)),
      ),
      pageHeader(db.name, statusChip(db.status), h('span', { class: 'astra-db-type' }, dbType(db))),
      tabs,
    ];
  }

  function detailsList(rows) {
    return h(
      'dl',
      { class: 'astra-details' },
      rows.map(([label, value, extra]) => h('div', { class: 'astra-details-row' }, h('dt', {}, label), h('dd', {}, value, extra || null))),
    );
  }

  function regionDownloadError(message) {
    snack(`Could not get the bundle: ${message}`);
  }

  function classicOverview(db) {
    document.title = `${db.name} | Overview | Astra DB`;
    const regionRows = db.datacenters.map((dc) =>
      h(
        'tr',
        { class: 'astra-MuiTableRow-root' },
        h('th', { scope: 'row', class: 'astra-MuiTableCell-root' }, dc.region),
        h('td', { class: 'astra-MuiTableCell-root' }, providerName(dc.cloudProvider)),
        h('td', { class: 'astra-MuiTableCell-root astra-mono' }, dc.id),
        h('td', { class: 'astra-MuiTableCell-root' }, statusChip(dc.status)),
        h(
          'td',
          { class: 'astra-MuiTableCell-root astra-cell-actions' },
          moreMenu('More', [
            {
              label: 'Download SCB',
              icon: 'download',
              action: async () => {
                try {
                  const data = await gql('dbBundles', BUNDLES_QUERY, { databaseId: db.id });
                  const bundle = data.secureBundles.find((b) => b.region === dc.region);
                  if (!bundle) throw new Error(`no bundle for ${dc.region}`);
                  location.href = bundle.downloadURL;
                } catch (error) {
                  regionDownloadError(error.message);
                }
              },
            },
          ]),
        ),
      ),
    );
    return [
      ...databaseHeader(db, 'Overview'),
      h(
        'div',
        { class: 'astra-grid' },
        card(
          'Database Details',
          detailsList([
            ['Database ID', h('span', { class: 'astra-mono' }, db.id), copyButton(() => db.id, 'Copy database ID')],
            ['Status', statusChip(db.status)],
            ['Type', dbType(db)],
            ['Keyspace', db.keyspace],
            ['Created', formatDate(db.createdAt)],
          ]),
        ),
        card(
          'Keyspaces',
          h('ul', { class: 'astra-MuiList-root astra-keyspaces' }, [db.keyspace, 'system_auth', 'system_schema'].map((k) => h('li', { class: 'astra-MuiListItem-root astra-mono' }, k))),
          h('p', { class: 'astra-hint' }, 'Keyspaces starting with system_ are managed by Astra.'),
        ),
        wide(card(
          'Regions',
          h(
            'table',
            { class: 'astra-MuiTable-root astra-table-compact' },
            h('thead', {}, h('tr', {}, ['Region', 'Provider', 'Datacenter ID', 'Status', h('span', { class: 'astra-visually-hidden' }, 'Actions')].map((c) => h('th', { scope: 'col', class: 'astra-MuiTableCell-head' }, c)))),
            h('tbody', {}, regionRows),
          ),
        )),
      ),
    ];
  }
  function wide(el) {
    el.classList.add('astra-span-all');
    return el;
  }

  function tokenJsonDownload(text, fileName, type = 'application/json') {
    const url = URL.createObjectURL(new Blob([text], { type }));
    app.scope.signal.addEventListener('abort', () => URL.revokeObjectURL(url));
    return h(
      'a',
      { href: url, download: fileName, class: 'astra-MuiButton-root astra-MuiButton-outlined' },
      icon('download', 'astra-MuiButton-startIcon'),
      'Download Token Details',
    );
  }

  function bundleDialog(db, bundles, returnFocus) {
    let selected = 0;
    let tab = 'URL';
    const regionId = uid('region');
    const countdown = h('span', { class: 'astra-countdown-text' });
    const panelHost = h('div');
    const downloadHost = h('div', { class: 'astra-bundle-download' });
    const tabsId = uid('tabs');
    const tabNames = ['URL', 'cURL', 'WGET'];
    const tabButtons = tabNames.map((name) =>
      h(
        'button',
        {
          type: 'button',
          role: 'tab',
          id: `${tabsId}-${name}`,
          'aria-controls': `${tabsId}-panel`,
          class: 'astra-MuiTab-root',
          onclick: () => selectTab(name),
        },
        name,
      ),
    );
    const tabList = h('div', { role: 'tablist', 'aria-label': 'Bundle link format', class: 'astra-MuiTabs-root astra-dialog-tabs' }, tabButtons);
    tabList.addEventListener('keydown', (event) => {
      const index = tabNames.indexOf(tab);
      let next = -1;
      if (event.key === 'ArrowRight') next = (index + 1) % tabNames.length;
      else if (event.key === 'ArrowLeft') next = (index - 1 + tabNames.length) % tabNames.length;
      else if (event.key === 'Home') next = 0;
      else if (event.key === 'End') next = tabNames.length - 1;
      if (next < 0) return;
      event.preventDefault();
      selectTab(tabNames[next]);
      tabButtons[next].focus();
    });

    function current() {
      const bundle = bundles[selected];
      const url = bundle.downloadURL;
      return { bundle, url, fileName: fileNameOf(url) };
    }
    function textFor(name) {
      const { url, fileName } = current();
      if (name === 'cURL') return `curl -o ${fileName} '${url}'`;
      if (name === 'WGET') return `wget -O ${fileName} '${url}'`;
      return url;
    }
    function selectTab(name) {
      tab = name;
      tabButtons.forEach((b) => {
        const on = b.textContent === name;
        b.setAttribute('aria-selected', on ? 'true' : 'false');
        b.tabIndex = on ? 0 : -1;
        b.classList.toggle('astra-Mui-selected', on);
      });
      panelHost.replaceChildren(
        h('div', { role: 'tabpanel', id: `${tabsId}-panel`, 'aria-labelledby': `${tabsId}-${name}`, class: 'astra-tabpanel' }, codeBox(textFor(name))),
      );
    }
    function showRegion() {
      const { url, fileName } = current();
      selectTab(tab);
      downloadHost.replaceChildren(
        h('a', { href: url, class: 'astra-MuiButton-root astra-MuiButton-contained astra-download-button' }, icon('download', 'astra-MuiButton-startIcon'), 'Download Secure Bundle'),
        h('p', { class: 'astra-bundle-filename' }, fileName),
      );
      tick();
    }
    function tick() {
      const expiry = linkExpiry(current().url);
      const left = expiry === null ? 0 : expiry - Date.now();
      countdown.textContent =
        left > 0
          ? `Your bundle details are only avaliable for ${minutesSeconds(left)} minutes. Copy or save them and use them immediately.`
          : 'Your bundle details have expired. Close this window and select Get Bundle again.';
      countdown.parentElement?.parentElement?.classList.toggle('astra-expired', left <= 0);
    }

    const regionSelect = h(
      'select',
      {
        id: regionId,
        class: 'astra-MuiNativeSelect-select astra-MuiInputBase-input',
        onchange: (event) => {
          selected = Number(event.target.value);
          showRegion();
        },
      },
      bundles.map((b, i) => h('option', { value: String(i) }, b.region)),
    );
    const body = [
      h(
        'div',
        { class: 'astra-MuiFormControl-root' },
        h('label', { for: regionId, class: 'astra-MuiInputLabel-root' }, 'Region'),
        h('div', { class: 'astra-select-wrap' }, regionSelect),
      ),
      h('div', { class: 'astra-MuiAlert-root astra-MuiAlert-standardInfo astra-countdown' }, icon('timer', 'astra-MuiAlert-icon'), h('div', { class: 'astra-MuiAlert-message' }, countdown)),
      tabList,
      panelHost,
      downloadHost,
    ];
    const timer = setInterval(tick, 1000);
    const dialog = openDialog({
      title: 'Secure Connect Bundle Download',
      className: 'astra-bundle-dialog',
      body,
      actions: [button('Close', { onclick: () => dialog.close() }, 'text')],
      onClose: () => clearInterval(timer),
      returnFocus,
    });
    showRegion();
    regionSelect.focus();
  }

  function tokenResultPanel(title, warning, ...content) {
    return h('div', { class: 'astra-token-result', role: 'region', 'aria-label': title }, h('h3', { class: 'astra-MuiTypography-subtitle1' }, title), alertBox('warning', warning), ...content);
  }

  function classicConnect(db) {
    document.title = `${db.name} | Connect | Astra DB`;
    const bundleError = h('div', { class: 'astra-inline-error', role: 'alert' });
    const getBundle = button('Get Bundle', {
      icon: 'download',
      onclick: async () => {
        bundleError.replaceChildren();
        busy(getBundle, true);
        try {
          const answer = await devopsFetch('POST', `/v2/databases/${db.id}/secureBundleURL?all=true`);
          const list = (Array.isArray(answer) ? answer : [answer]).map((b) => ({ ...b, datacenterID: b.datacenterID || b.datcenterID }));
          if (list.length === 0) throw new Error('no bundle was returned');
          bundleDialog(db, list, getBundle);
        } catch (error) {
          bundleError.replaceChildren(alertBox('error', `Could not get the bundle: ${error.message}`));
        } finally {
          busy(getBundle, false);
        }
      },
    });

    const tokenHost = h('div');
    const tokenError = h('div', { class: 'astra-inline-error', role: 'alert' });
    const generate = button(
      'Generate Token',
      {
        icon: 'key',
        onclick: async () => {
          tokenError.replaceChildren();
          busy(generate, true);
          try {
            const role = app.roles.find((r) => r.name === 'Database Administrator') || app.roles[0];
            const t = await devopsXhr('POST', '/v2/clientIdSecrets', { roles: [role.id], description: `${db.name} connect` });
            const json = JSON.stringify({ clientId: t.clientId, secret: t.secret, token: t.token }, null, 2);
            tokenHost.replaceChildren(
              tokenResultPanel(
                'Application Token',
                'These values are shown only once. Copy them or download them now and keep them somewhere safe.',
                codeBox(json),
                h('div', { class: 'astra-actions-row' }, tokenJsonDownload(json, `${db.name}-token.json`)),
              ),
            );
          } catch (error) {
            tokenError.replaceChildren(alertBox('error', `Could not generate a token: ${error.message}`));
          } finally {
            busy(generate, false);
          }
        },
      },
      'outlined',
    );

    const drivers = [
      ['Java', 'java-driver'],
      ['Python', 'python-driver'],
      ['Node.js', 'nodejs-driver'],
      ['C++', 'cpp-driver'],
      ['C#', 'csharp-driver'],
      ['Go (cql-proxy)', 'cql-proxy'],
    ];
    return [
      ...databaseHeader(db, 'Connect'),
      h(
        'div',
        { class: 'astra-grid astra-grid-connect' },
        card(
          'Quick Start',
          h(
            'ol',
            { class: 'astra-steps' },
            h('li', {}, h('strong', {}, 'Get a Secure Connect Bundle'), ' for the region your application runs closest to.'),
            h('li', {}, h('strong', {}, 'Generate an application token'), ' with the Database Administrator role.'),
            h('li', {}, h('strong', {}, 'Pick a driver'), ' and point it at the bundle with your token.'),
          ),
          h('h3', { class: 'astra-MuiTypography-subtitle1' }, 'Drivers'),
          h(
            'ul',
            { class: 'astra-MuiList-root astra-driver-list', 'aria-label': 'Drivers' },
            drivers.map(([name, slug]) =>
              h(
                'li',
                { class: 'astra-MuiListItem-root' },
                icon('book'),
                h('a', { href: `https://docs.datastax.com/en/developer/${slug}/latest/`, class: 'astra-MuiLink-root', target: '_blank', rel: 'noopener noreferrer' }, `${name} driver`),
              ),
            ),
          ),
        ),
        h(
          'div',
          { class: 'astra-stack' },
          card(
            'Get a Secure Connect Bundle',
            h('p', { class: 'astra-card-text' }, 'The bundle holds the certificates and endpoints your driver needs. Each download link works for a few minutes only.'),
            h('div', { class: 'astra-actions-row' }, getBundle),
            bundleError,
          ),
          card(
            'Generate an Application Token',
            h('p', { class: 'astra-card-text' }, 'Creates a token with the Database Administrator role for this organization.'),
            h('div', { class: 'astra-actions-row' }, generate),
            tokenError,
            tokenHost,
          ),
        ),
      ),
    ];
  }

  function vectorOverview(db) {
    document.title = `${db.name} | Overview | Astra DB`;
    const dc = db.datacenters[0];
    const scbMenu = moreMenu('More', [
      {
        label: 'Download SCB',
        icon: 'download',
        action: async () => {
          try {
            const bundle = await devopsFetch('POST', `/v2/databases/${db.id}/secureBundleURL`);
            navigateTo(bundle.downloadURL);
          } catch (error) {
            regionDownloadError(error.message);
          }
        },
      },
    ]);
    const tokenHost = h('div');
    const tokenError = h('div', { class: 'astra-inline-error', role: 'alert' });
    const generate = button('Generate Token', {
      icon: 'key',
      onclick: async () => {
        tokenError.replaceChildren();
        busy(generate, true);
        try {
          const role = app.roles.find((r) => r.name === 'Database Administrator') || app.roles[0];
          const data = await gql('generateToken', GENERATE_TOKEN_ONLY, { input: { roles: [role.id], description: `${db.name} application token` } });
          tokenHost.replaceChildren(
            tokenResultPanel('Application Token', 'This token is shown only once. Copy it now and store it somewhere safe.', codeBox(data.generateToken.token, 'Copy', 'astra-code-single')),
          );
        } catch (error) {
          tokenError.replaceChildren(alertBox('error', `Could not generate a token: ${error.message}`));
        } finally {
          busy(generate, false);
        }
      },
    });
    const endpoint = `https://${db.id}-${dc.region}.apps.astra.datastax.com`;
    return [
      ...databaseHeader(db, 'Overview'),
      h(
        'div',
        { class: 'astra-grid' },
        card(
          'Database Details',
          detailsList([
            ['Database ID', h('span', { class: 'astra-mono' }, db.id), copyButton(() => db.id, 'Copy database ID')],
            ['Status', statusChip(db.status)],
            ['Cloud Provider', providerName(dc.cloudProvider)],
            ['Region', h('span', { class: 'astra-region' }, dc.region), scbMenu],
            ['Keyspace', db.keyspace],
            ['Created', formatDate(db.createdAt)],
          ]),
        ),
        h(
          'div',
          { class: 'astra-stack' },
          card('API Endpoint', codeBox(endpoint, 'Copy API endpoint', 'astra-code-single')),
          card(
            'Application Tokens',
            h('p', { class: 'astra-card-text' }, 'Generate a token with the Database Administrator role to call this database from your application.'),
            h('div', { class: 'astra-actions-row' }, generate),
            tokenError,
            tokenHost,
          ),
        ),
      ),
    ];
  }

  function settingsNav(active) {
    const base = `/org/${app.org.id}/settings`;
    return h(
      'nav',
      { class: 'astra-settings-nav', 'aria-label': 'Organization settings' },
      h('p', { class: 'astra-settings-nav-title' }, 'Organization Settings'),
      h(
        'ul',
        { class: 'astra-MuiList-root' },
        [
          ['Tokens', `${base}/tokens`],
          ['Token Management (classic)', `${base}/tokens/classic`],
        ].map(([label, href]) =>
          h('li', {}, h('a', { href, class: `astra-MuiListItemButton-root${label === active ? ' astra-Mui-selected' : ''}`, 'aria-current': label === active ? 'page' : null }, label)),
        ),
      ),
    );
  }

  function roleSelect(id, onChange) {
    return h(
      'select',
      { id, class: 'astra-MuiNativeSelect-select astra-MuiInputBase-input', onchange: onChange },
      h('option', { value: '', disabled: true, selected: true }, 'Select a Token Role'),
      app.roles.map((r) => h('option', { value: r.id }, r.name)),
    );
  }

  function roleField(onRole) {
    const id = uid('role');
    const select = roleSelect(id, () => onRole(select.value));
    const field = h(
      'div',
      { class: 'astra-MuiFormControl-root' },
      h('label', { for: id, class: 'astra-MuiInputLabel-root' }, 'Select a Token Role'),
      h('div', { class: 'astra-select-wrap' }, select),
    );
    return { field, select };
  }

  function tokensPage() {
    document.title = 'Tokens | Settings | Astra DB';
    const generate = button('Generate Token', { icon: 'key', disabled: true });
    const { field, select } = roleField((value) => {
      generate.disabled = !value;
    });
    const error = h('div', { class: 'astra-inline-error', role: 'alert' });
    const listBody = h('tbody');
    const listStatus = h('p', { class: 'astra-hint' });

    async function refreshList() {
      try {
        const { clients } = await devopsFetch('GET', '/v2/clientIdSecrets');
        listStatus.textContent = clients.length === 0 ? 'No tokens yet.' : '';
        listBody.replaceChildren(
          ...clients.map((c) => {
            const role = app.roles.find((r) => r.id === c.roles[0]);
            return h(
              'tr',
              { class: 'astra-MuiTableRow-root' },
              h('th', { scope: 'row', class: 'astra-MuiTableCell-root astra-mono' }, c.clientId),
              h('td', { class: 'astra-MuiTableCell-root' }, role ? role.name : c.roles[0]),
              h('td', { class: 'astra-MuiTableCell-root' }, new Date(c.generatedOn).toLocaleString('en-US')),
              h('td', { class: 'astra-MuiTableCell-root' }, button('Revoke', { 'aria-label': `Revoke ${c.clientId}`, onclick: () => confirmRevoke(c.clientId) }, 'text')),
            );
          }),
        );
      } catch (e) {
        listStatus.textContent = `Could not list tokens: ${e.message}`;
      }
    }
    function confirmRevoke(clientId) {
      const dialog = openDialog({
        title: 'Revoke Token',
        body: h('p', {}, `Applications using client ID ${clientId} will stop working.`),
        actions: [
          button('Cancel', { onclick: () => dialog.close() }, 'text'),
          button('Revoke', {
            class: 'astra-MuiButton-colorError',
            onclick: async () => {
              try {
                await devopsFetch('DELETE', `/v2/clientIdSecrets/${encodeURIComponent(clientId)}`);
                snack('Token revoked');
              } catch (e) {
                snack(`Could not revoke: ${e.message}`);
              }
              dialog.close();
              refreshList();
            },
          }),
        ],
      });
    }

    generate.addEventListener('click', async () => {
      error.replaceChildren();
      busy(generate, true);
      try {
        const data = await gql('generateToken', GENERATE_TOKEN_FULL, { input: { roles: [select.value] } });
        const t = data.generateToken;
        const json = JSON.stringify({ clientID: t.clientId, clientSecret: t.secret, token: t.token }, null, 2);
        const dialog = openDialog({
          title: 'Token Details',
          className: 'astra-token-dialog',
          body: [
            alertBox('warning', 'Copy or download these details now. The client secret and token are shown only once.'),
            codeBox(json),
          ],
          actions: [tokenJsonDownload(json, `${app.org.name}-token.json`), button('Close', { onclick: () => dialog.close() }, 'text')],
          returnFocus: generate,
        });
        refreshList();
      } catch (e) {
        error.replaceChildren(alertBox('error', `Could not generate a token: ${e.message}`));
      } finally {
        busy(generate, !select.value);
        generate.setAttribute('aria-busy', 'false');
      }
    });
    refreshList();

    return [
      pageHeader('Tokens', h('p', { class: 'astra-page-subtitle' }, 'Application tokens let your applications and tools act for this organization.')),
      h(
        'div',
        { class: 'astra-settings' },
        settingsNav('Tokens'),
        h(
          'div',
          { class: 'astra-stack' },
          card(
            'Generate Token',
            h('p', { class: 'astra-card-text' }, 'Pick the role the token acts with. The client secret and token are shown only once, when you generate them.'),
            h('div', { class: 'astra-form-row' }, field, generate),
            error,
          ),
          card(
            'Active Tokens',
            h(
              'table',
              { class: 'astra-MuiTable-root astra-table-compact' },
              h('thead', {}, h('tr', {}, ['Client ID', 'Role', 'Generated On', h('span', { class: 'astra-visually-hidden' }, 'Actions')].map((c) => h('th', { scope: 'col', class: 'astra-MuiTableCell-head' }, c)))),
              listBody,
            ),
            listStatus,
          ),
        ),
      ),
    ];
  }

  function csvField(value) {
    return `"${String(value).replace(/"/g, '""')}"`;
  }

  function tokensClassicPage() {
    document.title = 'Token Management | Settings | Astra DB';
    const generate = button('Generate Token', { icon: 'key', disabled: true });
    const { field, select } = roleField((value) => {
      generate.disabled = !value;
    });
    const error = h('div', { class: 'astra-inline-error', role: 'alert' });
    const result = h('div');

    function readOnlyField(label, value) {
      const id = uid('field');
      return h(
        'div',
        { class: 'astra-MuiFormControl-root astra-readonly-field' },
        h('label', { for: id, class: 'astra-MuiInputLabel-root' }, label),
        h(
          'div',
          { class: 'astra-MuiInputBase-root astra-input-with-button' },
          h('input', { id, class: 'astra-MuiInputBase-input astra-mono', readonly: true, value, spellcheck: 'false' }),
          copyButton(() => value, `Copy ${label}`),
        ),
      );
    }

    generate.addEventListener('click', async () => {
      error.replaceChildren();
      busy(generate, true);
      try {
        const role = app.roles.find((r) => r.id === select.value);
        const data = await gql('generateToken', GENERATE_TOKEN_FULL, { input: { roles: [select.value] } });
        const t = data.generateToken;
        const csv = `${[
          ['Client Id', 'Client Secret', 'Role', 'Token'],
          [t.clientId, t.secret, role ? role.name : t.roles[0], t.token],
        ]
          .map((row) => row.map(csvField).join(','))
          .join('\n')}`;
        result.replaceChildren(
          h(
            'div',
            { class: 'astra-MuiPaper-root astra-MuiCard-root astra-classic-token', role: 'region', 'aria-label': 'Generated token' },
            alertBox('warning', 'This is the only time these values are shown. Copy them or download them now; they cannot be shown again.'),
            readOnlyField('Client ID', t.clientId),
            readOnlyField('Client Secret', t.secret),
            readOnlyField('Token', t.token),
            h('div', { class: 'astra-actions-row' }, tokenJsonDownload(csv, 'GeneratedToken.csv', 'text/csv')),
          ),
        );
      } catch (e) {
        error.replaceChildren(alertBox('error', `Could not generate a token: ${e.message}`));
      } finally {
        busy(generate, !select.value);
        generate.setAttribute('aria-busy', 'false');
      }
    });

    return [
      pageHeader('Token Management', h('p', { class: 'astra-page-subtitle' }, 'Generate a token for an application or a tool. The Client Secret and Token are shown only once.')),
      h(
        'div',
        { class: 'astra-settings' },
        settingsNav('Token Management (classic)'),
        h(
          'div',
          { class: 'astra-stack' },
          card(
            'Generate Token',
            h('p', { class: 'astra-card-text' }, 'Select a role, then generate. You will see the Client ID, Client Secret and Token once.'),
            h('div', { class: 'astra-form-row' }, field, generate),
            error,
          ),
          result,
        ),
      ),
    ];
  }

  function notFound(what) {
    document.title = 'Not found | Astra DB';
    return [pageHeader('Page not found'), h('p', {}, what), h('p', {}, h('a', { href: `/org/${app.org.id}`, class: 'astra-MuiLink-root' }, 'Back to databases'))];
  }

  // ---------- router ----------
  function route(path) {
    const clean = path.replace(/\/+$/, '') || '/';
    if (clean === '/') return { redirect: `/org/${app.org.id}` };
    let m = /^\/org\/([^/]+)(\/.*)?$/.exec(clean);
    if (!m) return { view: () => notFound(`Nothing lives at ${path}.`) };
    if (m[1] !== app.org.id) return { view: () => notFound('This organization does not exist or you are not a member of it.') };
    const rest = m[2] || '';
    if (rest === '') return { view: orgHome };
    if (rest === '/settings') return { redirect: `/org/${app.org.id}/settings/tokens` };
    if (rest === '/settings/tokens') return { view: tokensPage };
    if (rest === '/settings/tokens/classic') return { view: tokensClassicPage };
    m = /^\/database\/([^/]+)(\/connect)?$/.exec(rest);
    if (m) {
      const db = app.databases.find((d) => d.id === m[1]);
      if (!db) return { view: () => notFound('This database does not exist.') };
      if (db.dbType === 'vector') return m[2] ? { redirect: `/org/${app.org.id}/database/${db.id}` } : { view: () => vectorOverview(db) };
      return { view: () => (m[2] ? classicConnect(db) : classicOverview(db)) };
    }
    return { view: () => notFound(`Nothing lives at ${path}.`) };
  }

  function render(focusHeading) {
    const target = route(location.pathname);
    if (target.redirect) {
      history.replaceState(null, '', target.redirect);
      return render(focusHeading);
    }
    app.scope.abort();
    app.scope = new AbortController();
    const main = document.getElementById('main');
    main.replaceChildren(...target.view().filter(Boolean));
    markNav();
    if (focusHeading) main.querySelector('h1')?.focus();
  }

  function navigate(href) {
    history.pushState(null, '', href);
    render(true);
    window.scrollTo(0, 0);
  }

  document.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const a = event.target instanceof Element ? event.target.closest('a[href]') : null;
    if (!a || a.hasAttribute('download') || (a.target && a.target !== '_self')) return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin || url.hash) return;
    event.preventDefault();
    if (url.pathname + url.search !== location.pathname + location.search) navigate(url.pathname + url.search);
  });
  window.addEventListener('popstate', () => render(true));

  async function boot() {
    const root = document.getElementById('root');
    root.replaceChildren(h('div', { class: 'astra-boot', role: 'status' }, h('span', { class: 'astra-spinner', 'aria-hidden': 'true' }), 'Loading Astra…'));
    try {
      const data = await gql('bootstrap', ORG_QUERY);
      app.org = data.currentOrg;
      app.roles = data.roles;
      app.databases = data.databases;
    } catch (error) {
      root.replaceChildren(h('div', { class: 'astra-boot', role: 'alert' }, `The console could not load: ${error.message}`));
      return;
    }
    root.replaceChildren(layout());
    render(false);
  }

  boot();
})();
