/*
 * Beacon demo shop: a four-page static shop (home -> product -> cart -> checkout) instrumented with
 * posthog-js, unchanged, pointed at the Beacon server that serves this page (api_host = this origin).
 *
 * posthog-js is the npm package's self-contained bundle (array.full.no-external.js), served by Beacon
 * from its own classpath at /demo/vendor/posthog-js/: nothing is fetched from a CDN, and every
 * feature that would load code or settings from PostHog's servers is switched off below.
 *
 * The write key comes from ?key=... (remembered in localStorage), else from /demo/shop/config.js,
 * which Beacon generates with the bootstrap project's write key.
 */
(function () {
    'use strict';

    var PRODUCTS = {
        mug: { id: 'mug', name: 'Beacon Mug', price: 12.5 },
        tee: { id: 'tee', name: 'Beacon T-Shirt', price: 24.0 },
        cap: { id: 'cap', name: 'Beacon Cap', price: 18.0 }
    };

    function writeKey() {
        var params = new URLSearchParams(window.location.search);
        var fromUrl = params.get('key');
        if (fromUrl) {
            window.localStorage.setItem('beacon_demo_key', fromUrl);
            // keep the key out of $current_url and the history
            params.delete('key');
            var rest = params.toString();
            window.history.replaceState(null, '', window.location.pathname + (rest ? '?' + rest : '') + window.location.hash);
            return fromUrl;
        }
        return window.localStorage.getItem('beacon_demo_key')
            || (window.BEACON_DEMO_CONFIG && window.BEACON_DEMO_CONFIG.writeKey) || '';
    }

    var key = writeKey();
    if (!key) {
        document.addEventListener('DOMContentLoaded', function () {
            document.getElementById('status').textContent =
                'No write key: open this page as /demo/shop/?key=<your write key> (see ./beacon status).';
        });
    }

    window.posthog.init(key, {
        api_host: window.location.origin,
        autocapture: true,
        capture_pageview: true,
        capture_pageleave: true,
        person_profiles: 'always',
        // Nothing may leave this machine: no recordings, surveys, toolbar, product tours,
        // conversations, web experiments, heatmaps, dead clicks, web vitals or lazily loaded scripts.
        disable_session_recording: true,
        disable_surveys: true,
        disable_surveys_automatic_display: true,
        disable_product_tours: true,
        disable_conversations: true,
        disable_web_experiments: true,
        disable_external_dependency_loading: true,
        advanced_disable_toolbar_metrics: true,
        enable_heatmaps: false,
        capture_heatmaps: false,
        capture_dead_clicks: false,
        capture_performance: false,
        capture_exceptions: false,
        loaded: function (ph) {
            window.__beaconDemoLoaded = true;
        }
    });

    function cart() {
        try {
            return JSON.parse(window.localStorage.getItem('beacon_demo_cart') || '[]');
        } catch (e) {
            return [];
        }
    }

    function saveCart(items) {
        window.localStorage.setItem('beacon_demo_cart', JSON.stringify(items));
    }

    function total(items) {
        return items.reduce(function (sum, id) { return sum + PRODUCTS[id].price; }, 0);
    }

    function el(tag, attrs, text) {
        var node = document.createElement(tag);
        Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
        if (text) {
            node.textContent = text;
        }
        return node;
    }

    var pages = {
        home: function (main) {
            Object.keys(PRODUCTS).forEach(function (id) {
                var p = PRODUCTS[id];
                var card = el('div', { 'class': 'card' });
                card.appendChild(el('a', { href: '/demo/shop/product.html?id=' + id, id: 'product-' + id }, p.name));
                card.appendChild(el('span', { 'class': 'price' }, '$' + p.price.toFixed(2)));
                main.appendChild(card);
            });
        },
        product: function (main) {
            var id = new URLSearchParams(window.location.search).get('id') || 'mug';
            var p = PRODUCTS[id] || PRODUCTS.mug;
            main.appendChild(el('h2', {}, p.name));
            main.appendChild(el('p', { 'class': 'price' }, '$' + p.price.toFixed(2)));
            var add = el('button', { id: 'add-to-cart', type: 'button' }, 'Add to cart');
            add.addEventListener('click', function () {
                var items = cart();
                items.push(p.id);
                saveCart(items);
                document.getElementById('status').textContent = p.name + ' added to your cart.';
            });
            main.appendChild(add);
            main.appendChild(el('a', { href: '/demo/shop/cart.html', id: 'go-to-cart' }, 'View cart'));
        },
        cart: function (main) {
            var items = cart();
            var list = el('ul', { id: 'cart-items' });
            items.forEach(function (id) { list.appendChild(el('li', {}, PRODUCTS[id].name)); });
            main.appendChild(list);
            main.appendChild(el('p', { id: 'cart-total' }, 'Total: $' + total(items).toFixed(2)));
            main.appendChild(el('a', { href: '/demo/shop/checkout.html', id: 'checkout', 'class': 'button' }, 'Checkout'));
        },
        checkout: function (main) {
            var login = el('form', { id: 'login-form' });
            login.appendChild(el('input', { id: 'email', type: 'email', placeholder: 'you@example.com' }));
            login.appendChild(el('button', { id: 'login', type: 'submit' }, 'Log in'));
            login.addEventListener('submit', function (e) {
                e.preventDefault();
                var email = document.getElementById('email').value.trim();
                if (!email) {
                    return;
                }
                // identify() sends $identify with $anon_distinct_id: Beacon links the anonymous visit to the user.
                window.posthog.identify(email, { email: email }, { first_login_page: 'checkout' });
                document.getElementById('status').textContent = 'Logged in as ' + email + '.';
            });
            main.appendChild(login);
            var buy = el('button', { id: 'place-order', type: 'button' }, 'Place order');
            buy.addEventListener('click', function () {
                var items = cart();
                var orderId = 'order-' + Date.now();
                window.posthog.capture('purchase', {
                    order_id: orderId,
                    revenue: total(items),
                    currency: 'USD',
                    item_count: items.length,
                    products: items
                });
                saveCart([]);
                document.getElementById('status').textContent = 'Thank you! Order ' + orderId + ' placed.';
            });
            main.appendChild(buy);
        }
    };

    document.addEventListener('DOMContentLoaded', function () {
        var page = document.body.getAttribute('data-page');
        var main = document.getElementById('main');
        (pages[page] || pages.home)(main);
        document.getElementById('cart-count').textContent = String(cart().length);
    });
})();
