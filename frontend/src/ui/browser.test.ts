import { describe, expect, it } from 'vitest';
import { detectBrowser } from './browser';

const UA = {
  chrome: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36',
  edge: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0',
  firefox: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
  iphone: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  ipadDesktop: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  chromeAndroid: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36',
  chromeIos: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/130.0 Mobile/15E148 Safari/604.1',
};

describe('R14: the camera guidance names the browser in use', () => {
  it('test_r14_detects_chrome_edge_firefox', () => {
    expect(detectBrowser(UA.chrome)).toBe('chrome');
    expect(detectBrowser(UA.chromeAndroid)).toBe('chrome');
    expect(detectBrowser(UA.edge)).toBe('edge'); // Edge says Chrome too: Edg/ decides
    expect(detectBrowser(UA.firefox)).toBe('firefox');
  });

  it('test_r14_every_browser_on_an_iphone_or_ipad_gets_the_ios_steps', () => {
    expect(detectBrowser(UA.iphone)).toBe('safari-ios');
    expect(detectBrowser(UA.chromeIos)).toBe('safari-ios'); // iOS settings govern every browser there
    expect(detectBrowser(UA.ipadDesktop, 5)).toBe('safari-ios'); // an iPad asks for the desktop site
  });

  it('test_r14_safari_on_a_mac_and_unknown_browsers', () => {
    expect(detectBrowser(UA.ipadDesktop, 0)).toBe('safari-mac');
    expect(detectBrowser('SomeBrowser/1.0')).toBe('other');
  });
});
