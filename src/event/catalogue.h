// The fixed vocabulary of the order event: items with their category and base price, payment
// methods, sales channels, cities, weekday names and person names. Two sets of people and
// places: English names and US cities for --profile uniform (the original drew `user` and
// `store_city` from Python Faker's default en_US locale; these are our own short lists of the
// same kind), Polish names and cities for --profile realistic (with the PLN prices and blik).
// Immutable; safe for concurrent use.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

namespace orderflow::event {

struct Item {
  std::string_view name;
  std::string_view category;
  int64_t base_price_cents;
};

inline constexpr std::array<Item, 10> kItems = {{
    {"yogurt", "dairy", 320},
    {"potatoes", "vegetables", 210},
    {"apples", "fruit", 280},
    {"bananas", "fruit", 310},
    {"carrots", "vegetables", 240},
    {"cheese", "dairy", 850},
    {"bread", "bakery", 420},
    {"rice", "grains", 590},
    {"pasta", "grains", 620},
    {"eggs", "dairy", 730},
}};

inline constexpr std::array<std::string_view, 4> kPaymentMethods = {"card", "blik", "cash",
                                                                    "mobile_wallet"};
inline constexpr std::array<std::string_view, 3> kSalesChannels = {"store", "online", "pickup"};
inline constexpr std::array<int, 6> kDiscountChoices = {0, 0, 0, 5, 10, 15};
inline constexpr std::array<std::string_view, 7> kWeekdayNames = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

// --profile uniform: US city names and English first and last names.
inline constexpr std::array<std::string_view, 40> kUsCities = {
    "New York",    "Los Angeles",  "Chicago", "Houston",   "Phoenix",      "Philadelphia",
    "San Antonio", "San Diego",    "Dallas",  "Austin",    "Jacksonville", "Columbus",
    "Charlotte",   "Indianapolis", "Seattle", "Denver",    "Boston",       "Nashville",
    "Portland",    "Las Vegas",    "Detroit", "Memphis",   "Louisville",   "Baltimore",
    "Milwaukee",   "Albuquerque",  "Tucson",  "Fresno",    "Sacramento",   "Kansas City",
    "Atlanta",     "Omaha",        "Raleigh", "Miami",     "Minneapolis",  "Tulsa",
    "Cleveland",   "New Orleans",  "Tampa",   "Pittsburgh"};

inline constexpr std::array<std::string_view, 40> kEnglishFirstNames = {
    "James",   "Mary",      "Robert",  "Patricia", "John",    "Jennifer", "Michael", "Linda",
    "David",   "Elizabeth", "William", "Barbara",  "Richard", "Susan",    "Joseph",  "Jessica",
    "Thomas",  "Sarah",     "Charles", "Karen",    "Daniel",  "Nancy",    "Matthew", "Lisa",
    "Anthony", "Betty",     "Mark",    "Sandra",   "Steven",  "Ashley",   "Paul",    "Emily",
    "Andrew",  "Donna",     "Joshua",  "Michelle", "Kevin",   "Amanda",   "Brian",   "Melissa"};

inline constexpr std::array<std::string_view, 40> kEnglishLastNames = {
    "Smith",     "Johnson",  "Williams",  "Brown", "Jones",    "Garcia",   "Miller",   "Davis",
    "Rodriguez", "Martinez", "Hernandez", "Lopez", "Wilson",   "Anderson", "Thomas",   "Taylor",
    "Moore",     "Jackson",  "Martin",    "Lee",   "Thompson", "White",    "Harris",   "Clark",
    "Lewis",     "Robinson", "Walker",    "Young", "Allen",    "King",     "Wright",   "Scott",
    "Hill",      "Green",    "Adams",     "Baker", "Nelson",   "Carter",   "Mitchell", "Roberts"};

// --profile realistic: Polish cities and names.
inline constexpr std::array<std::string_view, 16> kCities = {
    "Warszawa",    "Kraków",    "Łódź",   "Wrocław",  "Poznań",    "Gdańsk",
    "Szczecin",    "Bydgoszcz", "Lublin", "Katowice", "Białystok", "Gdynia",
    "Częstochowa", "Radom",     "Toruń",  "Rzeszów"};

inline constexpr std::array<std::string_view, 24> kFirstNames = {
    "Anna",      "Piotr", "Maria",   "Krzysztof", "Katarzyna", "Andrzej", "Małgorzata", "Tomasz",
    "Agnieszka", "Paweł", "Barbara", "Michał",    "Ewa",       "Marcin",  "Magdalena",  "Jakub",
    "Joanna",    "Adam",  "Zofia",   "Łukasz",    "Julia",     "Mateusz", "Natalia",    "Kamil"};

inline constexpr std::array<std::string_view, 24> kLastNames = {
    "Nowak",       "Kowalski",  "Wiśniewski",  "Wójcik",   "Kowalczyk",  "Kamiński",
    "Lewandowski", "Zieliński", "Szymański",   "Woźniak",  "Dąbrowski",  "Kozłowski",
    "Jankowski",   "Mazur",     "Kwiatkowski", "Krawczyk", "Piotrowski", "Grabowski",
    "Nowakowski",  "Pawłowski", "Michalski",   "Król",     "Wieczorek",  "Jabłoński"};

// Index of `name` in kItems, or -1 when it is not a catalogue item.
int FindItem(std::string_view name);

}  // namespace orderflow::event
